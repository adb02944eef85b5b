package io.raftring.api;

import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The key-value API of a RaftRing node, mirroring HTTP. Any node serves any key: requests go to the leader of the
 * key's group wherever it runs. Every call has a deadline; a stage that fails, fails with a
 * {@link RaftRingException} (possibly wrapped in a CompletionException).
 */
public interface KvApi {

  /**
   * Applies a put or delete, with its condition (compare-and-set). Input is validated before anything is proposed:
   * bad input fails with BAD_REQUEST or TOO_LARGE and changes nothing.
   */
  CompletionStage<WriteOutcome> write(KvCommand command, Duration timeout);

  /** Reads one key or a range at the given consistency. */
  CompletionStage<ReadOutcome> read(KvQuery query, ReadConsistency consistency, Duration timeout);

  /**
   * As {@link #read}, but when a strong read cannot be served before the deadline, answers from the nearest replica
   * instead, with {@link ReadOutcome#servedAs()} = STALE (basic availability: a degraded answer beats none).
   */
  CompletionStage<ReadOutcome> readOrDegrade(KvQuery query, ReadConsistency consistency, Duration timeout);

  /** Which group and replicas hold {@code key}, and who leads that group as far as this node knows. */
  KeyPlacement explain(String key);
}
