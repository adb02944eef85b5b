package io.raftring.lock;

import io.raftring.kv.KeyValue;
import io.raftring.kv.LeaseIds;

/**
 * Who owns a lock (or leads an election): the contender's key, its lease, and the fencing token, the key's create
 * revision in the queue's group. Every later owner's token is higher, so a resource that remembers the highest token
 * it saw can refuse a late write of an owner whose lease expired while it was paused.
 *
 * @param name         the lock or election
 * @param key          the owner's key in the queue
 * @param lease        the owner's lease; ownership ends when it is revoked or expires
 * @param fencingToken the key's create revision
 * @param value        the key's value (an election's proclaimed value; empty for a lock)
 */
public record Ownership(String name, String key, long lease, long fencingToken, byte[] value) {

  static Ownership of(String name, KeyValue kv) {
    String leaseHex = kv.key().substring(kv.key().lastIndexOf('/') + 1);
    return new Ownership(name, kv.key(), LeaseIds.parse(leaseHex), kv.createRevision(), kv.value());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ownership that && name.equals(that.name) && key.equals(that.key) && lease == that.lease
        && fencingToken == that.fencingToken && java.util.Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, key, lease, fencingToken, java.util.Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "Ownership[" + name + " by " + key + ", fencing token " + fencingToken + "]";
  }
}
