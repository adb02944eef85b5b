package io.raftring.raft;

import akka.actor.typed.ActorRef;
import java.util.Map;

/** Peers known up front by their actor references: tests, and embedders that wire replicas themselves. */
public final class StaticPeers implements Peers {

  private final Map<String, ActorRef<ReplicaProtocol.Command>> refs;

  public StaticPeers(Map<String, ActorRef<ReplicaProtocol.Command>> refs) {
    this.refs = Map.copyOf(refs);
  }

  @Override
  public void send(String node, ReplicaProtocol.Command message) {
    ActorRef<ReplicaProtocol.Command> ref = refs.get(node);
    if (ref != null) {
      ref.tell(message);
    }
  }
}
