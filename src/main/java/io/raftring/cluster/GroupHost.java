package io.raftring.cluster;

import akka.actor.typed.ActorSystem;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.ReplicaId;
import io.raftring.ring.GroupPlacement;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicas this node hosts: one for every group whose preference list names this node. Sharding starts an
 * entity on its first message, so the host sends each a message at start-up and whenever asked, which is how
 * replicas come back after a node restart (the equivalent of remembered entities).
 */
public final class GroupHost {

  private final ActorSystem<?> system;
  private final ReplicaLocator locator;
  private final List<ReplicaId> local;

  public GroupHost(ActorSystem<?> system, String selfNode, GroupPlacement placement, ReplicaLocator locator) {
    this.system = system;
    this.locator = locator;
    List<ReplicaId> ids = new ArrayList<>();
    for (String group : placement.groups()) {
      if (placement.replicasOf(group).contains(selfNode)) {
        ids.add(new ReplicaId(group, selfNode));
      }
    }
    this.local = List.copyOf(ids);
  }

  /** Starts (or keeps alive) every replica this node hosts. */
  public void wakeAll() {
    for (ReplicaId id : local) {
      locator.locate(id).tell(new RaftReplica.GetStatus(system.ignoreRef()));
    }
  }

  public List<ReplicaId> localReplicas() {
    return local;
  }
}
