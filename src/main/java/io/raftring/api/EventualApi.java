package io.raftring.api;

import io.raftring.eventual.EventualExplain;
import io.raftring.eventual.EventualRead;
import io.raftring.eventual.EventualSettings;
import io.raftring.eventual.EventualStatus;
import io.raftring.eventual.EventualWrite;
import io.raftring.eventual.ReplicaCount;
import io.raftring.eventual.VersionVector;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The eventually consistent keyspace of a RaftRing node (beside {@link KvApi}'s Raft keyspace, never mixed with it):
 * any node serves any key; a key has N replicas on its preference list; each request says how many must answer
 * ({@code w}, {@code r}: a number, quorum or all; null for the configured default). It stays writable on any side of
 * a partition and converges after it heals (hinted handoff, read repair, anti-entropy). Concurrent writes become
 * siblings; a write that passes back a read's context supersedes what that read returned; a write without a context
 * replaces whatever its coordinating replica holds (last-writer-wins).
 *
 * <p>A failed stage carries a {@link RaftRingException}: BAD_REQUEST / TOO_LARGE for bad input (nothing done),
 * NO_QUORUM when fewer than W (or R) replicas are reachable (nothing done), TIMEOUT when fewer than W acknowledged in
 * time (the write is stored on some replicas and may still spread).
 */
public interface EventualApi {

  CompletionStage<EventualRead> get(String key, ReplicaCount r, Duration timeout);

  /** Writes {@code value}; {@code context} null for a blind (last-writer-wins) write. */
  CompletionStage<EventualWrite> put(String key, byte[] value, VersionVector context, ReplicaCount w,
      Duration timeout);

  /** Deletes (writes a tombstone); {@code context} as for {@link #put}. */
  CompletionStage<EventualWrite> delete(String key, VersionVector context, ReplicaCount w, Duration timeout);

  /** The key's preference list and every replica's value, asked within {@code timeout}. */
  CompletionStage<EventualExplain> explain(String key, Duration timeout);

  EventualStatus status();

  EventualSettings settings();
}
