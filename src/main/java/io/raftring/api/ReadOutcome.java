package io.raftring.api;

import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;

/**
 * A read's answer: {@code result} is {@link KvResult.Found}, {@link KvResult.NotFound} or
 * {@link KvResult.RangePage}. It says which replica served it and how far that replica had applied, so a stale read
 * shows how far behind it may be; {@code servedAs} is the consistency it was actually served at (lower than asked
 * only when the caller allowed a degraded answer).
 */
public record ReadOutcome(
    KvResult result, String group, String node, long appliedIndex, boolean fromLeader, ReadConsistency servedAs) {}
