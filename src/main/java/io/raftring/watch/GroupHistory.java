package io.raftring.watch;

import io.raftring.kv.KvEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The recent events of one group as this node's replica applied them, kept so watchers can catch up: bounded by
 * event count, bytes and age, oldest dropped first. Revisions only grow; events at or below the newest already held
 * are replays (a replica restarted and re-applies its log) and are ignored.
 *
 * <p>{@link #floor()} is the revision up to which events may be missing: a read after a revision below it cannot be
 * answered from here (410 COMPACTED, unless another replica still has them). Thread-safe: the replica's thread
 * appends, the feed reads.
 */
public final class GroupHistory {

  /** What a read found. */
  public sealed interface Read {}

  /** Every matching event after the read's revision up to {@code through} (whole revisions). */
  public record Found(List<KvEvent> events, long through) implements Read {}

  /** Events after the read's revision are no longer all here: this history starts after {@code floor}. */
  public record Compacted(long floor) implements Read {}

  /** What {@link #tailAfter} saw: events after a revision, the floor and the latest revision at that moment. */
  public record Tail(long floor, long latest, List<KvEvent> events) {}

  /** Bounds of one group's history. */
  public record Limits(int maxEvents, long maxBytes, Duration maxAge) {}

  private final Limits limits;
  private final LongSupplier nanoClock;
  /** A ring buffer: events[head .. head + size) modulo capacity, in revision order. */
  private KvEvent[] events;
  private long[] appendedNanos;
  private int head;
  private int size;
  private long bytes;
  private long floor;
  private long latest;

  public GroupHistory(Limits limits, LongSupplier nanoClock) {
    if (limits.maxEvents() < 1 || limits.maxBytes() < 1 || limits.maxAge().isNegative()) {
      throw new IllegalArgumentException("history limits must be positive: " + limits);
    }
    this.limits = limits;
    this.nanoClock = nanoClock;
    int initial = Math.min(64, Math.max(1, limits.maxEvents()));
    this.events = new KvEvent[initial];
    this.appendedNanos = new long[initial];
  }

  /** The newest revision this node's replica has applied, as far as the history heard. */
  public synchronized long latest() {
    return latest;
  }

  public synchronized long floor() {
    return floor;
  }

  public synchronized int size() {
    return size;
  }

  /** The events of one applied entry; the store is at {@code revision} after them. */
  public synchronized void append(List<KvEvent> applied, long revision) {
    long now = nanoClock.getAsLong();
    for (KvEvent event : applied) {
      if (event.revision() <= latest) {
        continue;
      }
      add(event, now);
    }
    latest = Math.max(latest, revision);
    evict(now);
  }

  /**
   * The replica's state was replaced at {@code revision} (a snapshot, or starting empty). Revisions up to what is
   * held are a replay; a jump beyond it leaves a gap, so the history starts over after it.
   */
  public synchronized void restored(long revision) {
    if (revision <= latest) {
      return;
    }
    clear();
    floor = revision;
    latest = revision;
  }

  /**
   * Matching events after {@code after}, at least whole revisions up to {@code maxEvents} events and
   * {@code maxBytes}; {@code after} of -1 means "from now": nothing, and the latest revision.
   */
  public synchronized Read read(long after, WatchFilter filter, int maxEvents, long maxBytes) {
    evict(nanoClock.getAsLong());
    if (after < 0) {
      return new Found(List.of(), latest);
    }
    if (after < floor) {
      return new Compacted(floor);
    }
    List<KvEvent> found = new ArrayList<>();
    long foundBytes = 0;
    for (int i = firstAfter(after); i < size; i++) {
      KvEvent event = events[slot(i)];
      boolean full = found.size() >= maxEvents || foundBytes >= maxBytes;
      if (full && !found.isEmpty() && event.revision() != found.get(found.size() - 1).revision()) {
        // Stop at a revision boundary, so the reader's position is a whole revision.
        return new Found(found, found.get(found.size() - 1).revision());
      }
      if (filter.matches(event.key())) {
        found.add(event);
        foundBytes += event.sizeBytes();
      }
    }
    return new Found(found, latest);
  }

  /**
   * Every event held after revision {@code after}, oldest first, with the floor and latest revision as they stood
   * together (for the feed to see what is new, and whether events it never saw were dropped meanwhile).
   */
  public synchronized Tail tailAfter(long after) {
    int first = firstAfter(after);
    List<KvEvent> newer = new ArrayList<>(size - first);
    for (int i = first; i < size; i++) {
      newer.add(events[slot(i)]);
    }
    return new Tail(floor, latest, newer);
  }

  private void add(KvEvent event, long now) {
    if (size == events.length) {
      grow();
    }
    int at = slot(size);
    events[at] = event;
    appendedNanos[at] = now;
    size++;
    bytes += event.sizeBytes();
  }

  private void evict(long now) {
    long oldestKept = now - limits.maxAge().toNanos();
    while (size > 0 && (size > limits.maxEvents() || bytes > limits.maxBytes()
        || appendedNanos[head] - oldestKept < 0)) {
      KvEvent dropped = events[head];
      events[head] = null;
      head = (head + 1) % events.length;
      size--;
      bytes -= dropped.sizeBytes();
      floor = Math.max(floor, dropped.revision());
    }
  }

  /** The index (0 = oldest) of the first event with a revision above {@code after}: binary search. */
  private int firstAfter(long after) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (events[slot(mid)].revision() <= after) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private int slot(int index) {
    return (head + index) % events.length;
  }

  private void grow() {
    int capacity = Math.min(Math.max(events.length * 2, 1), Math.max(limits.maxEvents() + 1, 1));
    if (capacity <= events.length) {
      capacity = events.length + 1;
    }
    KvEvent[] nextEvents = new KvEvent[capacity];
    long[] nextNanos = new long[capacity];
    for (int i = 0; i < size; i++) {
      nextEvents[i] = events[slot(i)];
      nextNanos[i] = appendedNanos[slot(i)];
    }
    events = nextEvents;
    appendedNanos = nextNanos;
    head = 0;
  }

  private void clear() {
    events = new KvEvent[events.length];
    appendedNanos = new long[appendedNanos.length];
    head = 0;
    size = 0;
    bytes = 0;
  }
}
