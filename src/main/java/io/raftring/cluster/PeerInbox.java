package io.raftring.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.ReplicaId;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Receives the {@link PeerBatch}es other nodes' {@link PeerMailer}s send here and hands each message, in order, to
 * its replica on this node ({@code deliver} starts the replica if it is not running, as a direct message would);
 * a {@link NodeBeacon} goes to this node's {@link NodeLiveness} instead.
 */
final class PeerInbox {

  private PeerInbox() {}

  static Behavior<PeerBatch> create(String selfNode, BiConsumer<ReplicaId, ReplicaProtocol.Command> deliver,
      NodeLiveness liveness, LongSupplier nanoClock) {
    return Behaviors.receiveMessage(batch -> {
      for (PeerBatch.Addressed m : batch.messages()) {
        if (m.message() instanceof NodeBeacon beacon) {
          liveness.heard(beacon.node(), nanoClock.getAsLong());
        } else {
          deliver.accept(new ReplicaId(m.group(), selfNode), m.message());
        }
      }
      return Behaviors.same();
    });
  }
}
