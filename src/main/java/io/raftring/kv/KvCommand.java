package io.raftring.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A write, proposed on any node and applied by {@link KvStateMachine} on every replica once committed. Encode it with
 * {@link KvCodec#encode(KvCommand)}; check it against the configured {@link KvLimits} before proposing.
 */
public sealed interface KvCommand permits KvCommand.Put, KvCommand.Delete {

  /** The lease of a put that attaches no lease (etcd's lease 0). */
  long NO_LEASE = 0;

  String key();

  KvCondition condition();

  /** Put only if the key is absent. */
  static Put putIfAbsent(String key, byte[] value) {
    return new Put(key, value, KvCondition.absent());
  }

  /** Put only if the key's mod_revision is {@code modRevision} (0: only if absent). */
  static Put putIfModRevision(String key, byte[] value, long modRevision) {
    return new Put(key, value, KvCondition.modRevisionEquals(modRevision));
  }

  /** Put only if the key exists with value {@code expected}. */
  static Put putIfValue(String key, byte[] value, byte[] expected) {
    return new Put(key, value, KvCondition.valueEquals(expected));
  }

  /** Delete only if the key's mod_revision is {@code modRevision} (0: succeeds, deleting nothing, only if absent). */
  static Delete deleteIfModRevision(String key, long modRevision) {
    return new Delete(key, KvCondition.modRevisionEquals(modRevision));
  }

  /** Delete only if the key exists with value {@code expected}. */
  static Delete deleteIfValue(String key, byte[] expected) {
    return new Delete(key, KvCondition.valueEquals(expected));
  }

  /**
   * Sets {@code key} to {@code value} if {@code condition} holds. A {@code lease} other than {@link #NO_LEASE}
   * attaches the key to that lease: revoking it, or its expiry, deletes the key. A put without a lease detaches the
   * key from any lease it had, as in etcd.
   */
  record Put(String key, byte[] value, KvCondition condition, long lease) implements KvCommand {

    public Put {
      KeyChecks.requireKey(key, "key");
      value = Objects.requireNonNull(value, "value").clone();
      Objects.requireNonNull(condition, "condition");
      if (lease < 0) {
        throw KvValidationException.badRequest("lease must be a positive id, or 0 for none; was " + lease);
      }
    }

    public Put(String key, byte[] value, KvCondition condition) {
      this(key, value, condition, NO_LEASE);
    }

    public Put(String key, byte[] value) {
      this(key, value, KvCondition.always());
    }

    /** The same put, attached to {@code leaseId}. */
    public Put withLease(long leaseId) {
      return new Put(key, value, condition, leaseId);
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    byte[] valueUnsafe() {
      return value;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Put that
          && key.equals(that.key)
          && Arrays.equals(value, that.value)
          && condition.equals(that.condition)
          && lease == that.lease;
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), condition, lease);
    }

    @Override
    public String toString() {
      return "Put[key=" + key + ", value=" + value.length + " bytes, condition=" + condition
          + (lease == NO_LEASE ? "" : ", lease=" + lease) + "]";
    }
  }

  /** Removes {@code key} if {@code condition} holds. */
  record Delete(String key, KvCondition condition) implements KvCommand {

    public Delete {
      KeyChecks.requireKey(key, "key");
      Objects.requireNonNull(condition, "condition");
    }

    public Delete(String key) {
      this(key, KvCondition.always());
    }
  }
}
