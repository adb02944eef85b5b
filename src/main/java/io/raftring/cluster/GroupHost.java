package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.StateMachine;
import io.raftring.ring.GroupPlacement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Starts, on this node, one replica of every group whose preference list names this node, and makes each findable
 * through the {@link ReplicaDirectory}. A replica's log lives on this node's disk, so it only ever runs here.
 */
public final class GroupHost {

  private final Map<String, ActorRef<RaftReplica.Command>> replicas = new LinkedHashMap<>();

  private GroupHost() {}

  public static GroupHost start(
      ActorSystem<?> system,
      String selfNode,
      GroupPlacement placement,
      RaftSettings settings,
      ReplicaDirectory directory,
      Supplier<StateMachine> stateMachine) {
    GroupHost host = new GroupHost();
    for (String group : placement.groups()) {
      Set<String> members = Set.copyOf(placement.replicasOf(group));
      if (!members.contains(selfNode)) {
        continue;
      }
      ReplicaId id = new ReplicaId(group, selfNode);
      ActorRef<RaftReplica.Command> ref = system.systemActorOf(
          RaftReplica.create(id, members, settings, ctx -> directory.peersOf(group), stateMachine,
              new Random()),
          id.entityId(), Props.empty());
      ReplicaDirectory.register(system, ref);
      host.replicas.put(group, ref);
    }
    return host;
  }

  /** The replicas on this node, by group. */
  public Map<String, ActorRef<RaftReplica.Command>> replicas() {
    return Map.copyOf(replicas);
  }
}
