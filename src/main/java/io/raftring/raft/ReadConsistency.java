package io.raftring.raft;

/** How fresh a read must be; chosen per request (the CAP trade, per request). */
public enum ReadConsistency {
  /** ReadIndex: the leader confirms it still leads with a heartbeat round to a majority, then reads. */
  LINEARIZABLE,
  /** The leader reads while its lease, renewed by majority acknowledgements, holds; no extra round trip. */
  LEASE,
  /** Any replica answers from what it has applied, however far behind that is. */
  STALE
}
