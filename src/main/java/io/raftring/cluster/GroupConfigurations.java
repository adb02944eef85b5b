package io.raftring.cluster;

import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.RoleName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What this node last heard from each group's leader about the group's configuration: who votes, who learns, whether
 * a change is still uncommitted. Groups move between nodes, so routing, status and hosting ask this instead of the
 * static ring; until a leader has answered, the group is assumed to be where the bootstrap ring put it.
 *
 * <p>Only leaders' reports are taken: a follower (or a removed replica that never heard of its removal) may hold an
 * older configuration. A report from a higher term replaces a lower one; within a term the later report wins, since a
 * leader never takes back its own entries.
 */
public final class GroupConfigurations {

  /** A leader's report of its group, and when this node received it ({@link System#nanoTime()} scale). */
  public record View(
      String leader,
      long term,
      long configurationIndex,
      Set<String> voters,
      Set<String> learners,
      boolean changeInProgress,
      long seenAtNanos) {

    public View {
      voters = Set.copyOf(voters);
      learners = Set.copyOf(learners);
    }

    public boolean isMember(String node) {
      return voters.contains(node) || learners.contains(node);
    }

    public io.raftring.raft.Configuration configuration() {
      return new io.raftring.raft.Configuration(voters, learners);
    }
  }

  private final Function<String, List<String>> bootstrap;
  private final LongSupplier nanoClock;
  private final Map<String, View> views = new ConcurrentHashMap<>();

  /** {@code bootstrap} gives a group's replicas as first configured (the ring over the initial nodes). */
  public GroupConfigurations(Function<String, List<String>> bootstrap, LongSupplier nanoClock) {
    this.bootstrap = bootstrap;
    this.nanoClock = nanoClock;
  }

  /** Takes a replica's status if it comes from a leader and is not older than what is known. */
  public void learn(String group, ReplicaProtocol.Status status) {
    if (status.role() != RoleName.LEADER) {
      return;
    }
    View fresh = new View(status.id().node(), status.term(), status.configurationIndex(), status.voters(),
        status.learners(), status.changeInProgress(), nanoClock.getAsLong());
    views.merge(group, fresh, (old, now) -> now.term() >= old.term() ? now : old);
  }

  /** The last leader report of {@code group}, or null if none arrived yet. */
  public View view(String group) {
    return views.get(group);
  }

  /** The group's replicas as far as this node knows: voters, then learners; the bootstrap ring's list if unknown. */
  public List<String> membersOf(String group) {
    View view = views.get(group);
    if (view == null) {
      return bootstrap.apply(group);
    }
    List<String> members = new ArrayList<>(new TreeSet<>(view.voters()));
    members.addAll(new TreeSet<>(view.learners()));
    return members;
  }

  /** Whether {@code node} holds a replica of {@code group} as far as this node knows. */
  public boolean hosts(String group, String node) {
    View view = views.get(group);
    return view == null ? bootstrap.apply(group).contains(node) : view.isMember(node);
  }

  /** Every node named in any known configuration. */
  public Set<String> nodesInConfigurations() {
    Set<String> nodes = new TreeSet<>();
    views.values().forEach(v -> {
      nodes.addAll(v.voters());
      nodes.addAll(v.learners());
    });
    return nodes;
  }
}
