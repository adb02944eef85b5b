package io.raftring.cluster;

import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.LogEntry;
import io.raftring.raft.PeerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Raft messages of many groups bound for replicas on one node, carried as one remote message (what TiKV calls a
 * batch raft message): with many groups a node pays remoting's per-message cost once per batch instead of once per
 * AppendEntries and reply. Serialized by {@link PeerBatchSerializer}; the receiving node's {@link PeerInbox} hands
 * each message to its replica in order.
 */
public record PeerBatch(List<Addressed> messages) {

  /** One message for the replica of {@code group} on the receiving node. */
  public record Addressed(String group, ReplicaProtocol.Command message) {}

  /** What a message is assumed to weigh when no better estimate is known: a vote, a reply, a heartbeat (bytes). */
  static final long SMALL_MESSAGE_BYTES = 64;

  /**
   * {@code messages} in order, cut into batches of at most {@code maxBytes} estimated bytes each, so that a batch
   * stays well inside remoting's frame; a message heavier than that alone still travels, alone.
   */
  static List<PeerBatch> pack(List<Addressed> messages, long maxBytes) {
    List<PeerBatch> batches = new ArrayList<>(1);
    List<Addressed> current = new ArrayList<>(messages.size());
    long currentBytes = 0;
    for (Addressed m : messages) {
      long bytes = estimatedBytes(m.message());
      if (!current.isEmpty() && currentBytes + bytes > maxBytes) {
        batches.add(new PeerBatch(current));
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(m);
      currentBytes += bytes;
    }
    if (!current.isEmpty()) {
      batches.add(new PeerBatch(current));
    }
    return batches;
  }

  /** Entries and snapshot chunks dominate a message's size; the rest is a few numbers and a node name. */
  static long estimatedBytes(ReplicaProtocol.Command message) {
    if (message instanceof PeerMessage.AppendEntries append) {
      long bytes = SMALL_MESSAGE_BYTES;
      for (LogEntry entry : append.entries()) {
        bytes += entry.sizeBytes();
      }
      return bytes;
    }
    if (message instanceof PeerMessage.InstallSnapshot chunk) {
      return SMALL_MESSAGE_BYTES + chunk.data().length;
    }
    return SMALL_MESSAGE_BYTES;
  }
}
