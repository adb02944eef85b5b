package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A group's catch-up history: bounded by count, bytes and age; replays ignored; gaps say COMPACTED. */
class GroupHistoryTest {

  private final AtomicLong clock = new AtomicLong();

  private GroupHistory history(int maxEvents, long maxBytes, Duration maxAge) {
    return new GroupHistory(new GroupHistory.Limits(maxEvents, maxBytes, maxAge), clock::get);
  }

  private static List<String> keys(GroupHistory.Read read) {
    return ((GroupHistory.Found) read).events().stream().map(KvEvent::key).toList();
  }

  @Test
  void aReadReturnsTheMatchingEventsAfterARevisionAndTheNewestRevision() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    for (int r = 1; r <= 6; r++) {
      history.append(List.of(put(r % 2 == 0 ? "a/" + r : "b/" + r, r)), r);
    }

    GroupHistory.Read read = history.read(2, WatchFilter.prefix("a/"), 100, 1 << 20);

    assertThat(keys(read)).containsExactly("a/4", "a/6");
    assertThat(((GroupHistory.Found) read).through()).isEqualTo(6);
  }

  @Test
  void aFullReadStopsAtARevisionBoundarySoTheReaderNeverHoldsHalfARevision() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    history.append(List.of(put("a", 1)), 1);
    history.append(List.of(put("b", 2), put("c", 2), put("d", 2)), 2);
    history.append(List.of(put("e", 3)), 3);

    GroupHistory.Read read = history.read(0, WatchFilter.prefix(""), 2, 1 << 20);

    assertThat(keys(read)).containsExactly("a", "b", "c", "d");
    assertThat(((GroupHistory.Found) read).through()).isEqualTo(2);
  }

  @Test
  void theOldestEventsGoPastTheCountBoundAndAReadBeforeThemIsCompacted() {
    GroupHistory history = history(3, 1 << 20, Duration.ofMinutes(1));
    for (int r = 1; r <= 5; r++) {
      history.append(List.of(put("k" + r, r)), r);
    }

    assertThat(history.size()).isEqualTo(3);
    assertThat(history.floor()).isEqualTo(2);
    assertThat(history.read(1, WatchFilter.prefix(""), 10, 1 << 20)).isEqualTo(new GroupHistory.Compacted(2));
    assertThat(keys(history.read(2, WatchFilter.prefix(""), 10, 1 << 20))).containsExactly("k3", "k4", "k5");
  }

  @Test
  void eventsOlderThanTheAgeBoundGoEvenWithoutNewWrites() {
    GroupHistory history = history(100, 1 << 20, Duration.ofSeconds(10));
    history.append(List.of(put("old", 1)), 1);
    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    history.append(List.of(put("newer", 2)), 2);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());

    assertThat(history.read(0, WatchFilter.prefix(""), 10, 1 << 20)).isEqualTo(new GroupHistory.Compacted(1));
    assertThat(keys(history.read(1, WatchFilter.prefix(""), 10, 1 << 20))).containsExactly("newer");
  }

  @Test
  void theByteBoundHoldsWithLargeValues() {
    GroupHistory history = history(1000, 10_000, Duration.ofMinutes(1));
    for (int r = 1; r <= 10; r++) {
      history.append(List.of(KvEvent.put(new KeyValue("k", new byte[3_000], r, r, r), 0)), r);
    }

    assertThat(history.size()).isEqualTo(3);
  }

  @Test
  void aReplicaReplayingItsLogAddsNothingTwice() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    history.append(List.of(put("a", 1)), 1);
    history.append(List.of(put("b", 2)), 2);

    history.restored(0);
    history.append(List.of(put("a", 1)), 1);
    history.append(List.of(put("b", 2)), 2);
    history.append(List.of(put("c", 3)), 3);

    assertThat(keys(history.read(0, WatchFilter.prefix(""), 10, 1 << 20))).containsExactly("a", "b", "c");
  }

  @Test
  void aSnapshotBeyondWhatIsHeldLeavesAGapThatReadsBeforeItCannotCross() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    history.append(List.of(put("a", 1)), 1);

    history.restored(50);
    history.append(List.of(put("z", 51)), 51);

    assertThat(history.read(1, WatchFilter.prefix(""), 10, 1 << 20)).isEqualTo(new GroupHistory.Compacted(50));
    assertThat(keys(history.read(50, WatchFilter.prefix(""), 10, 1 << 20))).containsExactly("z");
  }

  @Test
  void theFeedSeesWhatIsNewAfterARevision() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    history.append(List.of(put("a", 1)), 1);
    history.append(List.of(put("b", 2), put("c", 2)), 2);

    assertThat(history.tailAfter(1).events()).extracting(KvEvent::key).containsExactly("b", "c");
    assertThat(history.tailAfter(2).events()).isEmpty();
  }

  @Test
  void theFeedSeesTheFloorAndLatestRevisionTogetherWithTheEvents() {
    GroupHistory history = history(2, 1 << 20, Duration.ofMinutes(1));
    for (long revision = 1; revision <= 5; revision++) {
      history.append(List.of(put("k" + revision, revision)), revision);
    }

    GroupHistory.Tail tail = history.tailAfter(1);

    assertThat(tail.floor()).as("events 2 and 3 were dropped after 1").isEqualTo(3);
    assertThat(tail.latest()).isEqualTo(5);
    assertThat(tail.events()).extracting(KvEvent::revision).containsExactly(4L, 5L);
  }

  @Test
  void readingFromNowGivesNoEventsAndTheNewestRevision() {
    GroupHistory history = history(100, 1 << 20, Duration.ofMinutes(1));
    history.append(List.of(put("a", 7)), 7);

    assertThat(history.read(-1, WatchFilter.prefix(""), 10, 1 << 20)).isEqualTo(new GroupHistory.Found(List.of(), 7));
  }
}
