package io.raftring.eventual;

import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version vector: per actor, the highest counter of its events that have been seen. {@code covers(dot)} says whether
 * an event was seen. An actor's events for one key are only ever created where every earlier one of them is known (see
 * {@link VersionedValue#update}), so seeing counter n of an actor means having seen all its earlier events of the key.
 *
 * <p>Immutable; actors sorted by name, so equal vectors encode to equal bytes.
 */
public final class VersionVector {

  public static final VersionVector EMPTY = new VersionVector(new String[0], new long[0]);

  private final String[] actors;
  private final long[] counters;

  private VersionVector(String[] actors, long[] counters) {
    this.actors = actors;
    this.counters = counters;
  }

  /** A vector of the given counters (zero counters are left out). */
  public static VersionVector of(Map<String, Long> counters) {
    TreeMap<String, Long> sorted = new TreeMap<>();
    counters.forEach((actor, counter) -> {
      if (counter < 0) {
        throw new IllegalArgumentException("negative counter " + counter + " for " + actor);
      }
      if (counter > 0) {
        sorted.put(actor, counter);
      }
    });
    String[] a = sorted.keySet().toArray(String[]::new);
    long[] c = sorted.values().stream().mapToLong(Long::longValue).toArray();
    return new VersionVector(a, c);
  }

  public int size() {
    return actors.length;
  }

  public String actor(int i) {
    return actors[i];
  }

  public long counter(int i) {
    return counters[i];
  }

  /** The highest counter of {@code actor} seen, 0 if none. */
  public long counterOf(String actor) {
    int i = Arrays.binarySearch(actors, actor);
    return i >= 0 ? counters[i] : 0;
  }

  /** Whether the event {@code dot} has been seen. */
  public boolean covers(Dot dot) {
    return dot.counter() <= counterOf(dot.actor());
  }

  /** This vector having seen {@code dot} too. */
  public VersionVector with(Dot dot) {
    if (covers(dot)) {
      return this;
    }
    return merge(new VersionVector(new String[] {dot.actor()}, new long[] {dot.counter()}));
  }

  /** Everything either vector saw: the pointwise maximum. */
  public VersionVector merge(VersionVector other) {
    if (other.actors.length == 0 || other == this) {
      return this;
    }
    if (actors.length == 0) {
      return other;
    }
    String[] a = new String[actors.length + other.actors.length];
    long[] c = new long[a.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < actors.length || j < other.actors.length) {
      int order = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
      if (order < 0) {
        a[n] = actors[i];
        c[n++] = counters[i++];
      } else if (order > 0) {
        a[n] = other.actors[j];
        c[n++] = other.counters[j++];
      } else {
        a[n] = actors[i];
        c[n++] = Math.max(counters[i++], other.counters[j++]);
      }
    }
    return new VersionVector(Arrays.copyOf(a, n), Arrays.copyOf(c, n));
  }

  /** Whether this vector saw everything {@code other} saw. */
  public boolean descends(VersionVector other) {
    for (int j = 0; j < other.actors.length; j++) {
      if (counterOf(other.actors[j]) < other.counters[j]) {
        return false;
      }
    }
    return true;
  }

  public Causality compare(VersionVector other) {
    boolean descends = descends(other);
    boolean descended = other.descends(this);
    if (descends && descended) {
      return Causality.EQUAL;
    }
    if (descends) {
      return Causality.AFTER;
    }
    return descended ? Causality.BEFORE : Causality.CONCURRENT;
  }

  void writeTo(WireWriter out) {
    out.writeVarLong(actors.length);
    for (int i = 0; i < actors.length; i++) {
      out.writeBytes(actors[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.writeNonNegativeVarLong(counters[i]);
    }
  }

  /** Reads what {@link #writeTo} wrote; actors must come sorted and distinct, counters positive. */
  static VersionVector readFrom(WireReader in) {
    int count = in.readCount("version vector size", 2);
    String[] a = new String[count];
    long[] c = new long[count];
    for (int i = 0; i < count; i++) {
      a[i] = in.readString("actor");
      c[i] = in.readNonNegativeVarLong();
      if (a[i].isEmpty() || c[i] == 0 || (i > 0 && a[i - 1].compareTo(a[i]) >= 0)) {
        throw new IllegalArgumentException("version vector entries must be sorted, distinct and positive");
      }
    }
    return new VersionVector(a, c);
  }

  /** The vector as compact bytes: what a client's causal context carries. */
  public byte[] toBytes() {
    WireWriter out = WireWriter.growing(16 + 16 * actors.length);
    writeTo(out);
    return out.toByteArray();
  }

  /** Reads {@link #toBytes}; a malformed vector is an {@link IllegalArgumentException}. */
  public static VersionVector fromBytes(byte[] bytes) {
    WireReader in = new WireReader(bytes);
    VersionVector vector = readFrom(in);
    in.expectEnd();
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector v && Arrays.equals(actors, v.actors) && Arrays.equals(counters, v.counters);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(actors) + Arrays.hashCode(counters);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < actors.length; i++) {
      s.append(i == 0 ? "" : ", ").append(actors[i]).append(':').append(counters[i]);
    }
    return s.append('}').toString();
  }
}
