package io.raftring.kv;

/**
 * A lease as its group's state machine keeps it: the id, the time to live it was granted with, and whether it has
 * been revoked (by its holder or by expiry) with the deletion of its keys in other groups still to be confirmed.
 * When it expires is not here: only the leader of the group tracks that, in memory (see {@link KvListener#keepAlive}).
 */
public record LeaseRecord(long id, long ttlMillis, boolean revoked) {

  public LeaseRecord {
    if (id <= 0) {
      throw new IllegalArgumentException("lease id must be positive, was " + id);
    }
    if (ttlMillis <= 0) {
      throw new IllegalArgumentException("lease ttl must be positive, was " + ttlMillis + " ms");
    }
  }

  LeaseRecord asRevoked() {
    return new LeaseRecord(id, ttlMillis, true);
  }
}
