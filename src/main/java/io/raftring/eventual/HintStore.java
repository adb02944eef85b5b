package io.raftring.eventual;

import io.raftring.metrics.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Writes this node keeps for home replicas that could not take them (hinted handoff): one hint per (owner, key),
 * later writes of the key for the same owner merged into it, on disk so they survive a restart, handed to the owner
 * when it is back ({@link HintedHandoff}).
 *
 * <p>Bounded three ways, each refusal counted: at most {@code maxHints} hints and {@code maxBytes} bytes (a hint that
 * would pass either is not stored), and no hint older than {@code maxAge} is stored into, handed off or kept
 * ({@link #expire}). A hint's age is that of its first write, or of its oldest sibling if that is older: a coordinator
 * that had not yet heard of a delete can put a value written before it into a hint made after it. The age bound is
 * what lets tombstones be purged safely: it is shorter than their grace period, so no hint can bring back a value
 * written before a delete that has since been forgotten. (A write that leaves siblings older than {@code maxAge} beside
 * its own value is therefore not hinted; anti-entropy repairs it.)
 */
final class HintStore {

  /** One stored hint. */
  record Hint(String owner, String key, TimedValue value) {}

  /** Why a hint was not kept. */
  enum Dropped { FULL, EXPIRED }

  private final VersionedTable table;
  private final int maxHints;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final LongSupplier wallMillis;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<String, AtomicLong> perOwner = new ConcurrentHashMap<>();
  private final Counter.Child stored;
  private final Counter.Child droppedFull;
  private final Counter.Child droppedExpired;

  HintStore(VersionedTable table, int maxHints, long maxBytes, long maxAgeMillis, LongSupplier wallMillis,
      EvMetrics metrics) {
    this.table = table;
    this.stored = metrics.hintsStored;
    this.droppedFull = metrics.hintsDroppedFull;
    this.droppedExpired = metrics.hintsDroppedExpired;
    this.maxHints = maxHints;
    this.maxBytes = maxBytes;
    this.maxAgeMillis = maxAgeMillis;
    this.wallMillis = wallMillis;
    table.listen(this::follow);
    table.exclusively(() -> table.forEach((key, value) -> follow(key, null, value)));
  }

  static byte[] hintKey(String owner, String key) {
    byte[] o = owner.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + o.length + k.length).putShort((short) o.length).put(o).put(k).array();
  }

  private static byte[] ownerPrefix(String owner) {
    byte[] o = owner.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + o.length).putShort((short) o.length).put(o).array();
  }

  private static String ownerOf(byte[] hintKey) {
    int length = ByteBuffer.wrap(hintKey, 0, 2).getShort() & 0xFFFF;
    return new String(hintKey, 2, length, StandardCharsets.UTF_8);
  }

  private static String keyOf(byte[] hintKey) {
    int length = ByteBuffer.wrap(hintKey, 0, 2).getShort() & 0xFFFF;
    return new String(hintKey, 2 + length, hintKey.length - 2 - length, StandardCharsets.UTF_8);
  }

  /**
   * Keeps {@code value} for {@code owner}, merged into the hint already kept for the key, if any. Completes with true
   * once synced, or false when a bound refused it (nothing stored).
   */
  CompletableFuture<Boolean> store(String owner, String key, VersionedValue value) {
    boolean[] refused = {false};
    long now = wallMillis.getAsLong();
    return table.update(hintKey(owner, key), current -> {
      boolean expired = current != null && tooOld(current, now);
      TimedValue next = current == null || expired
          ? new TimedValue(value, now)
          : new TimedValue(current.value().merge(value), current.localMillis());
      if (tooOld(next, now)) {
        refused[0] = true;
        droppedExpired.inc();
        return current; // an expired one is removed by the next expire()
      }
      if (expired) {
        droppedExpired.inc();
      }
      long addedBytes = sizeOf(next) - (current == null ? 0 : sizeOf(current));
      if ((current == null && count.get() >= maxHints) || bytes.get() + addedBytes > maxBytes) {
        refused[0] = true;
        droppedFull.inc();
        return current;
      }
      return next;
    }).thenApply(change -> {
      if (!refused[0]) {
        stored.inc();
      }
      return !refused[0];
    });
  }

  /** The hint for (owner, key), null if none. */
  TimedValue get(String owner, String key) {
    return table.get(hintKey(owner, key));
  }

  /** Up to {@code max} hints for {@code owner}, in key order of their storage. */
  List<Hint> hintsFor(String owner, int max) {
    List<Hint> out = new ArrayList<>();
    byte[] prefix = ownerPrefix(owner);
    table.table().scan(prefix, io.raftring.storage.RocksDbTable.afterPrefix(prefix), (key, bytes) -> {
      out.add(new Hint(owner, keyOf(key), TimedValue.fromBytes(bytes)));
      return out.size() < max;
    });
    return out;
  }

  /** Removes a hint that was handed off, unless something merged into it since; completes once synced. */
  CompletableFuture<Boolean> remove(Hint hint) {
    return table.removeIf(hintKey(hint.owner(), hint.key()), hint.value());
  }

  /** Whether the hint is too old to hand off: it may predate a delete whose tombstone was purged. */
  boolean expired(Hint hint) {
    return tooOld(hint.value(), wallMillis.getAsLong());
  }

  /** Past the age bound: first written, or holding a sibling written, more than {@code maxAge} ago. */
  private boolean tooOld(TimedValue hint, long nowMillis) {
    long oldest = hint.localMillis();
    for (Sibling s : hint.value().siblings()) {
      oldest = Math.min(oldest, HybridLogicalClock.physicalMillis(s.timestamp()));
    }
    return nowMillis - oldest > maxAgeMillis;
  }

  /** Removes every hint older than the age bound; completes with how many, once synced. */
  CompletableFuture<Integer> expire() {
    List<Hint> old = new ArrayList<>();
    long now = wallMillis.getAsLong();
    table.table().scan(null, null, (key, bytes) -> {
      TimedValue value = TimedValue.fromBytes(bytes);
      if (tooOld(value, now)) {
        old.add(new Hint(ownerOf(key), keyOf(key), value));
      }
      return true;
    });
    List<CompletableFuture<Boolean>> removals = new ArrayList<>();
    for (Hint hint : old) {
      removals.add(remove(hint).thenApply(removed -> {
        if (removed) {
          droppedExpired.inc();
        }
        return removed;
      }));
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
        .thenApply(done -> (int) removals.stream().filter(CompletableFuture::join).count());
  }

  /** Owners with hints waiting, and how many each. */
  Map<String, Long> pendingByOwner() {
    Map<String, Long> out = new TreeMap<>();
    perOwner.forEach((owner, n) -> {
      if (n.get() > 0) {
        out.put(owner, n.get());
      }
    });
    return out;
  }

  long count() {
    return count.get();
  }

  long bytes() {
    return bytes.get();
  }

  long storedTotal() {
    return stored.value();
  }

  long dropped(Dropped reason) {
    return (reason == Dropped.FULL ? droppedFull : droppedExpired).value();
  }

  private static long sizeOf(TimedValue value) {
    long size = 16;
    for (Sibling s : value.value().siblings()) {
      size += 24 + (s.value() == null ? 0 : s.value().length);
    }
    return size + 16L * value.value().clock().size();
  }

  private void follow(byte[] key, TimedValue before, TimedValue after) {
    String owner = ownerOf(key);
    long delta = (after == null ? 0 : 1) - (before == null ? 0 : 1);
    count.addAndGet(delta);
    perOwner.computeIfAbsent(owner, o -> new AtomicLong()).addAndGet(delta);
    bytes.addAndGet((after == null ? 0 : sizeOf(after)) - (before == null ? 0 : sizeOf(before)));
  }
}
