package io.raftring.cluster;

import akka.actor.typed.ActorSystem;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.ReplicaId;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicas this node hosts. Sharding starts an entity on its first message, so the host sends one to each replica
 * this node should run, at start-up and on every tick; that is how replicas come back after a node restart (the
 * equivalent of remembered entities). Groups move, so which replicas those are comes from the groups' leaders
 * ({@link GroupConfigurations}); at start-up, before any leader has answered, so are the replicas whose logs are on
 * this node's disk, since the ring may have moved a group here after the cluster was first configured.
 *
 * <p>A replica whose group's leader reports a committed configuration without this node is retired: stopped, its log
 * kept. If the group adds this node again, the leader's first message starts it again.
 */
public final class GroupHost {

  private final ActorSystem<?> system;
  private final String selfNode;
  private final List<String> groups;
  private final GroupConfigurations configurations;
  private final ReplicaLocator locator;

  public GroupHost(ActorSystem<?> system, String selfNode, List<String> groups, GroupConfigurations configurations,
      ReplicaLocator locator) {
    this.system = system;
    this.selfNode = selfNode;
    this.groups = List.copyOf(groups);
    this.configurations = configurations;
    this.locator = locator;
  }

  /**
   * At start-up: starts the replicas the bootstrap ring put here and those of {@code groupsWithLocalLogs}. Those that
   * turn out not to be members any more are retired once their group's leader has reported.
   */
  public void wakeAtStart(java.util.Set<String> groupsWithLocalLogs) {
    for (String group : groups) {
      if (configurations.hosts(group, selfNode) || groupsWithLocalLogs.contains(group)) {
        wake(new ReplicaId(group, selfNode));
      }
    }
  }

  /** On each tick: keeps alive every replica this node hosts and retires those its groups have removed. */
  public void tend() {
    for (String group : groups) {
      ReplicaId id = new ReplicaId(group, selfNode);
      GroupConfigurations.View view = configurations.view(group);
      if (configurations.hosts(group, selfNode)) {
        wake(id);
      } else if (view != null && !view.changeInProgress()) {
        locator.tellIfRunning(id, ReplicaProtocol.Retire.INSTANCE);
      }
    }
  }

  private void wake(ReplicaId id) {
    locator.locate(id).tell(new ReplicaProtocol.GetStatus(system.ignoreRef()));
  }

  /** The replicas this node hosts as far as it knows. */
  public List<ReplicaId> localReplicas() {
    List<ReplicaId> local = new ArrayList<>();
    for (String group : groups) {
      if (configurations.hosts(group, selfNode)) {
        local.add(new ReplicaId(group, selfNode));
      }
    }
    return local;
  }
}
