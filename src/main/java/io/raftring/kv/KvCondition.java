package io.raftring.kv;

import java.util.Arrays;
import java.util.Objects;

/** What must hold for a put or delete to take effect; when it does not, the write is a CONFLICT and changes nothing. */
public sealed interface KvCondition permits KvCondition.Always, KvCondition.ModRevisionEquals, KvCondition.ValueEquals {

  /** Whether the condition holds for the key's current entry, {@code null} when the key is absent. */
  boolean isMetBy(KeyValue currentOrNull);

  static KvCondition always() {
    return Always.INSTANCE;
  }

  /** Holds when the key's mod_revision is {@code modRevision}; 0 means "only if the key is absent". */
  static KvCondition modRevisionEquals(long modRevision) {
    return new ModRevisionEquals(modRevision);
  }

  static KvCondition absent() {
    return new ModRevisionEquals(0);
  }

  /** Holds when the key exists and its value is exactly {@code value}; never holds for an absent key. */
  static KvCondition valueEquals(byte[] value) {
    return new ValueEquals(value);
  }

  /** No condition: the write always takes effect. */
  record Always() implements KvCondition {
    static final Always INSTANCE = new Always();

    @Override
    public boolean isMetBy(KeyValue currentOrNull) {
      return true;
    }
  }

  /** Compare-and-set on the key's mod_revision; an absent key has mod_revision 0. */
  record ModRevisionEquals(long modRevision) implements KvCondition {
    public ModRevisionEquals {
      KeyChecks.requireRevision(modRevision, "expected mod_revision");
    }

    @Override
    public boolean isMetBy(KeyValue currentOrNull) {
      long current = currentOrNull == null ? 0 : currentOrNull.modRevision();
      return current == modRevision;
    }
  }

  /** Compare-and-set on the key's current value. */
  record ValueEquals(byte[] value) implements KvCondition {
    public ValueEquals {
      value = Objects.requireNonNull(value, "expected value").clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    byte[] valueUnsafe() {
      return value;
    }

    @Override
    public boolean isMetBy(KeyValue currentOrNull) {
      return currentOrNull != null && Arrays.equals(currentOrNull.valueUnsafe(), value);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ValueEquals that && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "ValueEquals[" + value.length + " bytes]";
    }
  }
}
