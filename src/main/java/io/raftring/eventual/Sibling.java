package io.raftring.eventual;

import java.util.Arrays;
import java.util.Objects;

/**
 * One of a key's concurrent versions: the write event that made it, that write's hybrid logical clock time (what
 * last-writer-wins orders by), and its value, or null for a tombstone (a delete).
 */
public record Sibling(Dot dot, long timestamp, byte[] value) {

  public Sibling {
    Objects.requireNonNull(dot, "dot");
  }

  public static Sibling tombstone(Dot dot, long timestamp) {
    return new Sibling(dot, timestamp, null);
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** Last-writer-wins order: the later timestamp, then the greater dot, so every node picks the same winner. */
  public boolean newerThan(Sibling other) {
    if (timestamp != other.timestamp) {
      return timestamp > other.timestamp;
    }
    return dot.compareTo(other.dot) > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sibling s && dot.equals(s.dot) && timestamp == s.timestamp && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return 31 * dot.hashCode() + Long.hashCode(timestamp);
  }

  @Override
  public String toString() {
    return dot + "@" + timestamp + (value == null ? " (deleted)" : " (" + value.length + " bytes)");
  }
}
