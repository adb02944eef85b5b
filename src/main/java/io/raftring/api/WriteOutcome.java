package io.raftring.api;

import io.raftring.kv.KvResult;

/**
 * A write that reached a decision: {@code result} is {@link KvResult.Written}, {@link KvResult.Deleted} or
 * {@link KvResult.Conflict} (a compare-and-set whose condition did not hold; nothing changed). {@code group} is the
 * Raft group that holds the key and {@code index} the log index at which the write was applied.
 */
public record WriteOutcome(KvResult result, String group, long index) {}
