package io.raftring.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key with its value and its three revisions, as etcd keeps them.
 *
 * @param key            the key, never empty
 * @param value          the value bytes (copied in and out: a KeyValue is shared by the map, results and snapshots,
 *                       so nobody may change it under the others)
 * @param createRevision the store revision of the put that created the key (since it was last absent)
 * @param modRevision    the store revision of the put that last changed it
 * @param version        how many puts changed it since it was created: 1 after the creating put, reset by delete
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

  public KeyValue {
    KeyChecks.requireKey(key, "key");
    value = Objects.requireNonNull(value, "value").clone();
    if (createRevision < 1 || modRevision < createRevision || version < 1 || version > modRevision) {
      throw new IllegalArgumentException(
          "inconsistent revisions for key '" + key + "': createRevision=" + createRevision
              + " modRevision=" + modRevision + " version=" + version);
    }
  }

  /** A copy of the value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value without a copy, for this package's code that only reads or encodes it. */
  byte[] valueUnsafe() {
    return value;
  }

  public int valueLength() {
    return value.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyValue that
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && createRevision == that.createRevision
        && modRevision == that.modRevision
        && version == that.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version);
  }

  @Override
  public String toString() {
    return "KeyValue[key=" + key + ", value=" + value.length + " bytes, createRevision=" + createRevision
        + ", modRevision=" + modRevision + ", version=" + version + "]";
  }
}
