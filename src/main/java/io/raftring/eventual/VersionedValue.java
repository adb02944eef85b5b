package io.raftring.eventual;

import io.raftring.wire.WireReader;
import io.raftring.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A key's state in the eventual keyspace, as a dotted version vector set (Preguiça, Baquero et al., as Riak 2.0 keeps
 * its objects): the concurrent {@link Sibling}s, each named by the {@link Dot} of the write that made it, and the
 * causal context {@code clock}, every write event this value has seen (the siblings' and those they superseded).
 *
 * <p>Two rules keep every acknowledged write that nobody saw from being dropped:
 * <ul>
 *   <li>{@link #update}: a write supersedes exactly the siblings its context covers; the others stay as siblings.
 *   <li>{@link #merge}: a sibling survives unless the other side has seen its dot and did not keep it.
 * </ul>
 * Both need an actor's dots for one key to be created only where all its earlier dots for that key are known, which
 * holds because the coordinating node merges each write into its own copy of the key before it is sent anywhere.
 *
 * <p>Immutable. Siblings are kept sorted by dot and the clock by actor, so equal values encode to equal bytes and
 * {@link #digest} is the same on every replica.
 */
public final class VersionedValue {

  /** A key never written (or whose tombstones were purged). */
  public static final VersionedValue EMPTY = new VersionedValue(VersionVector.EMPTY, List.of());

  private static final int FORMAT = 1;
  private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();

  private final VersionVector clock;
  private final List<Sibling> siblings;
  /** The encoding and its digest, made once on first use (the value is immutable): a write needs both. */
  private volatile byte[] encoded;
  private volatile long digest;
  private volatile boolean digested;

  private VersionedValue(VersionVector clock, List<Sibling> siblings) {
    this.clock = clock;
    this.siblings = siblings;
  }

  /** A value from its parts; every sibling's dot must be covered by the clock and appear once. */
  public static VersionedValue of(VersionVector clock, List<Sibling> siblings) {
    List<Sibling> sorted = new ArrayList<>(siblings);
    sorted.sort((a, b) -> a.dot().compareTo(b.dot()));
    for (int i = 0; i < sorted.size(); i++) {
      Dot dot = sorted.get(i).dot();
      if (!clock.covers(dot)) {
        throw new IllegalArgumentException("sibling " + dot + " is not covered by the clock " + clock);
      }
      if (i > 0 && sorted.get(i - 1).dot().equals(dot)) {
        throw new IllegalArgumentException("two siblings with the dot " + dot);
      }
    }
    return new VersionedValue(clock, List.copyOf(sorted));
  }

  public VersionVector clock() {
    return clock;
  }

  /** Every sibling, tombstones included, in dot order. */
  public List<Sibling> siblings() {
    return siblings;
  }

  public boolean isEmpty() {
    return siblings.isEmpty();
  }

  /** Deleted: at least one sibling and all of them tombstones. */
  public boolean isDeleted() {
    if (siblings.isEmpty()) {
      return false;
    }
    for (Sibling s : siblings) {
      if (!s.isTombstone()) {
        return false;
      }
    }
    return true;
  }

  /** The last writer by hybrid logical clock: what last-writer-wins answers; null when empty. */
  public Sibling newest() {
    Sibling newest = null;
    for (Sibling s : siblings) {
      if (newest == null || s.newerThan(newest)) {
        newest = s;
      }
    }
    return newest;
  }

  /** The greatest timestamp among the siblings, 0 when empty. */
  public long maxTimestamp() {
    long max = 0;
    for (Sibling s : siblings) {
      max = Math.max(max, s.timestamp());
    }
    return max;
  }

  private boolean hasDot(Dot dot) {
    for (Sibling s : siblings) {
      if (s.dot().equals(dot)) {
        return true;
      }
    }
    return false;
  }

  /**
   * This value after a write coordinated by {@code actor} (this value must be the coordinator's own copy of the key):
   * the new sibling supersedes the siblings {@code context} covers and sits beside the others. A write without a
   * context ({@code null}, a blind write) supersedes every sibling this copy holds: last-writer-wins for clients that
   * pass no context, which drops any sibling here whatever its timestamp, while writes this copy has not seen yet
   * survive as siblings when they arrive.
   *
   * @param nextCounter a counter of {@code actor} greater than any it used before, for any key
   * @param value the new value, or null to delete
   * @param timestamp the write's hybrid logical clock time
   */
  public VersionedValue update(
      String actor, long nextCounter, VersionVector context, byte[] value, long timestamp) {
    VersionVector supersedes = context == null ? clock : context;
    long counter = Math.max(nextCounter, Math.max(clock.counterOf(actor), supersedes.counterOf(actor)) + 1);
    Dot dot = new Dot(actor, counter);
    List<Sibling> next = new ArrayList<>(siblings.size() + 1);
    for (Sibling s : siblings) {
      if (!supersedes.covers(s.dot())) {
        next.add(s);
      }
    }
    next.add(new Sibling(dot, timestamp, value));
    return new VersionedValue(clock.merge(supersedes).with(dot), sortedCopy(next));
  }

  /**
   * Everything both values know (the join): the clocks' maximum; a sibling of either side stays unless the other
   * side has seen its dot without keeping it. Commutative, associative and idempotent, so replicas that exchanged
   * their values in any order agree.
   */
  public VersionedValue merge(VersionedValue other) {
    if (other == this || other == EMPTY) {
      return this;
    }
    if (this == EMPTY) {
      return other;
    }
    List<Sibling> next = new ArrayList<>(siblings.size() + other.siblings.size());
    for (Sibling s : siblings) {
      if (other.hasDot(s.dot()) || !other.clock.covers(s.dot())) {
        next.add(s);
      }
    }
    for (Sibling s : other.siblings) {
      if (!hasDot(s.dot()) && !clock.covers(s.dot())) {
        next.add(s);
      }
    }
    return new VersionedValue(clock.merge(other.clock), sortedCopy(next));
  }

  /** Whether this value already contains everything {@code other} does (merging it would change nothing). */
  public boolean includes(VersionedValue other) {
    return merge(other).equals(this);
  }

  private static List<Sibling> sortedCopy(List<Sibling> siblings) {
    siblings.sort((a, b) -> a.dot().compareTo(b.dot()));
    return Collections.unmodifiableList(siblings);
  }

  /** A 64-bit hash of the encoding: equal on every replica holding the same value. */
  public long digest() {
    if (!digested) {
      byte[] bytes = encoding();
      digest = XXH64.hash(bytes, 0, bytes.length, 0);
      digested = true;
    }
    return digest;
  }

  /** The hash a Merkle tree holds for {@code key} having this value. */
  public static long entryHash(String key, long digest) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(k, 0, k.length, digest);
  }

  public byte[] toBytes() {
    return encoding().clone();
  }

  /** The encoding, shared: callers must not change it. */
  byte[] encoding() {
    byte[] bytes = encoded;
    if (bytes == null) {
      WireWriter out = WireWriter.growing(encodedSizeEstimate());
      writeTo(out);
      bytes = out.toByteArray();
      encoded = bytes;
    }
    return bytes;
  }

  /** Reads {@link #toBytes}; malformed input is an {@link IllegalArgumentException}. */
  public static VersionedValue fromBytes(byte[] bytes) {
    WireReader in = new WireReader(bytes);
    VersionedValue value = readFrom(in);
    in.expectEnd();
    return value;
  }

  int encodedSizeEstimate() {
    int estimate = 16 + 24 * clock.size();
    for (Sibling s : siblings) {
      estimate += 32 + s.dot().actor().length() + (s.value() == null ? 0 : s.value().length);
    }
    return estimate;
  }

  void writeTo(WireWriter out) {
    out.writeByte(FORMAT);
    clock.writeTo(out);
    out.writeVarLong(siblings.size());
    for (Sibling s : siblings) {
      out.writeBytes(s.dot().actor().getBytes(StandardCharsets.UTF_8));
      out.writeNonNegativeVarLong(s.dot().counter());
      out.writeNonNegativeVarLong(s.timestamp());
      out.writeNullableBytes(s.value());
    }
  }

  static VersionedValue readFrom(WireReader in) {
    int format = in.readByte();
    if (format != FORMAT) {
      throw new IllegalArgumentException("unknown versioned value format " + format);
    }
    VersionVector clock = VersionVector.readFrom(in);
    int count = in.readCount("sibling count", 4);
    List<Sibling> siblings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String actor = in.readString("actor");
      long counter = in.readNonNegativeVarLong();
      long timestamp = in.readNonNegativeVarLong();
      siblings.add(new Sibling(new Dot(actor, counter), timestamp, in.readNullableBytes("value")));
    }
    return of(clock, siblings);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedValue v && clock.equals(v.clock) && siblings.equals(v.siblings);
  }

  @Override
  public int hashCode() {
    return 31 * clock.hashCode() + siblings.hashCode();
  }

  @Override
  public String toString() {
    return "VersionedValue" + siblings + " " + clock;
  }
}
