package io.raftring.eventual;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;

/**
 * The eventual keyspace's endpoint on one node: other nodes' coordinators, anti-entropy and hinted handoff send it
 * these messages (hand-written binary, {@link EvSerializer}), and it hands each to this node's {@link ReplicaService}.
 * Registered with the Receptionist under {@link PeerDirectory#KEY}, named {@code eventual-<node>}.
 */
public final class EvPeer {

  /** Every message of the eventual keyspace between nodes. */
  public interface Command {}

  /**
   * Store {@code value} (merge it into the key's): as a home replica when {@code hintFor} is null, else as a hint for
   * that node. Answered with {@link Ack} once synced.
   */
  public record Replicate(String key, VersionedValue value, String hintFor, ActorRef<Ack> replyTo)
      implements Command {}

  /** {@code stored} false: the value was not kept (the hint store is full, or storing failed). */
  public record Ack(String node, boolean stored) implements Command {}

  /** Read the key's value here: the replica's, or with {@code hintFor} the hint kept for that node. */
  public record Fetch(String key, String hintFor, ActorRef<Fetched> replyTo) implements Command {}

  /** The value (EMPTY when none). */
  public record Fetched(String node, VersionedValue value) implements Command {}

  /** A write this node should coordinate because the node that received it holds no replica of the key. */
  public record ForwardWrite(
      String key, byte[] value, VersionVector context, int w, long timeoutMillis, ActorRef<WriteReply> replyTo)
      implements Command {}

  /** How a forwarded write ended: {@code error} null on success, else an ErrorCode name and a message. */
  public record WriteReply(String error, String message, VersionVector context, List<String> acknowledgedBy)
      implements Command {}

  /** Anti-entropy: the hashes of nodes {@code indices} on {@code level} of the tree shared with {@code from}. */
  public record TreeHashes(String from, int level, int[] indices, ActorRef<Hashes> replyTo) implements Command {}

  /** {@code hashes} null when there is no tree shared with the asker (it is not on this node's ring). */
  public record Hashes(long[] hashes) implements Command {}

  /** Anti-entropy: the keys (with digests) of {@code leaves} shared with {@code from}, at most {@code maxKeys}. */
  public record LeafDigests(String from, int[] leaves, int maxKeys, ActorRef<Digests> replyTo) implements Command {}

  public record Digests(List<String> keys, long[] digests) implements Command {}

  private EvPeer() {}

  static Behavior<Command> create(ReplicaService service) {
    return Behaviors.receive(Command.class)
        .onMessage(Replicate.class, m -> {
          service.replicate(m);
          return Behaviors.same();
        })
        .onMessage(Fetch.class, m -> {
          service.fetch(m);
          return Behaviors.same();
        })
        .onMessage(ForwardWrite.class, m -> {
          service.forwardedWrite(m);
          return Behaviors.same();
        })
        .onMessage(TreeHashes.class, m -> {
          service.treeHashes(m);
          return Behaviors.same();
        })
        .onMessage(LeafDigests.class, m -> {
          service.leafDigests(m);
          return Behaviors.same();
        })
        .build();
  }
}
