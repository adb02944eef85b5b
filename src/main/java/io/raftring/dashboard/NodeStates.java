package io.raftring.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What state each node is in, as one node sees it: from its Akka cluster view (members, their status, which it cannot
 * reach) and the placement driver's (decommissioned nodes, how long a node has been absent). One word per node, the
 * most pressing first: absent (not a member: stopped, left, or never joined), unreachable (a member this node cannot
 * reach), down, leaving, joining, decommissioning (up, its replicas moving away), up.
 *
 * <p>Pure: the HTTP route gathers the observations and renders the answer.
 */
public final class NodeStates {

  /** A node's state, most pressing first. */
  public enum State {
    ABSENT, UNREACHABLE, DOWN, LEAVING, JOINING, DECOMMISSIONING, UP;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A member's Akka status, coarsened: weakly-up counts as joining; exiting and shutting down as leaving. */
  public enum Membership { JOINING, UP, LEAVING, DOWN }

  /** One member of the Akka cluster as this node sees it. */
  public record Member(Membership membership, boolean reachable) {}

  /**
   * @param node          the node's name
   * @param state         its state
   * @param absentSeconds how long the placement driver has missed it (0 when present or unknown)
   * @param leads         groups it leads, as this node last heard from the leaders
   * @param hosts         groups with a replica on it, as this node last heard
   */
  public record NodeState(String node, State state, long absentSeconds, int leads, int hosts) {}

  /**
   * Everything observed.
   *
   * @param known          every node worth naming: configured, in a group's configuration, or a member
   * @param members        the Akka members by node name
   * @param decommissioned the placement driver's decommissioned nodes (empty when it did not answer)
   * @param absentSeconds  the placement driver's absent nodes and for how long (empty when it did not answer)
   * @param leaders        each group's leader as last heard (null or missing when unknown)
   * @param replicas       each group's replica nodes as last heard
   */
  public record Observed(
      Collection<String> known,
      Map<String, Member> members,
      Set<String> decommissioned,
      Map<String, Long> absentSeconds,
      Map<String, String> leaders,
      Map<String, ? extends Collection<String>> replicas) {}

  private NodeStates() {}

  /** The state of every known node, by name. */
  public static List<NodeState> of(Observed observed) {
    Set<String> nodes = new TreeSet<>(observed.known());
    nodes.addAll(observed.members().keySet());
    List<NodeState> states = new ArrayList<>();
    for (String node : nodes) {
      int leads = (int) observed.leaders().values().stream().filter(node::equals).count();
      int hosts = (int) observed.replicas().values().stream().filter(r -> r.contains(node)).count();
      states.add(new NodeState(node, stateOf(node, observed), observed.absentSeconds().getOrDefault(node, 0L),
          leads, hosts));
    }
    return states;
  }

  private static State stateOf(String node, Observed observed) {
    Member member = observed.members().get(node);
    if (member == null) {
      return State.ABSENT;
    }
    if (!member.reachable()) {
      return State.UNREACHABLE;
    }
    return switch (member.membership()) {
      case DOWN -> State.DOWN;
      case LEAVING -> State.LEAVING;
      case JOINING -> State.JOINING;
      case UP -> observed.decommissioned().contains(node) ? State.DECOMMISSIONING : State.UP;
    };
  }
}
