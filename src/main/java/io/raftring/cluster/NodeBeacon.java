package io.raftring.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.raft.ReplicaProtocol;

/**
 * "Node {@code node} is alive": sent by every node to every other one each heartbeat interval, in the per-node batch
 * of Raft messages ({@link PeerMailer}), and taken by the receiving {@link PeerInbox} for its {@link NodeLiveness}
 * instead of being delivered to a replica.
 */
public record NodeBeacon(String node) implements ReplicaProtocol.Command {

  @JsonCreator
  public NodeBeacon(@JsonProperty("node") String node) {
    this.node = node;
  }

  /** The group name a beacon travels under in a {@link PeerBatch}: no group is named so. */
  static final String NO_GROUP = "";
}
