package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.metrics.MetricsRegistry;
import io.raftring.storage.RocksDbStore;
import io.raftring.storage.StorageSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints on disk: merged per (owner, key), bounded in count, bytes and age, found again after a restart. */
class HintStoreTest {

  @TempDir
  Path dir;

  private final AtomicLong wall = new AtomicLong(10_000);

  private HintStore open(RocksDbStore rocks, int maxHints, long maxBytes, long maxAgeMillis) {
    return new HintStore(new VersionedTable(rocks.table("hints")), maxHints, maxBytes, maxAgeMillis, wall::get,
        new EvMetrics(new MetricsRegistry()));
  }

  /** A value written now (by the test's wall clock). */
  private VersionedValue value(String actor, long counter, String text) {
    return VersionedValue.EMPTY.update(actor, counter, null, text.getBytes(StandardCharsets.UTF_8),
        HybridLogicalClock.timestamp(wall.get(), counter));
  }

  @Test
  void laterWritesForTheSameOwnerAndKeyMergeIntoOneHint() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 1 << 20, 60_000);
      assertThat(hints.store("n2", "k", value("a", 1, "x")).join()).isTrue();
      assertThat(hints.store("n2", "k", value("b", 1, "y")).join()).isTrue();
      assertThat(hints.store("n3", "k", value("a", 2, "z")).join()).isTrue();
      assertThat(hints.count()).isEqualTo(2);
      assertThat(hints.get("n2", "k").value().siblings()).hasSize(2);
      assertThat(hints.pendingByOwner()).containsEntry("n2", 1L).containsEntry("n3", 1L);
      assertThat(hints.hintsFor("n2", 10)).extracting(HintStore.Hint::key).containsExactly("k");
    }
  }

  @Test
  void hintsSurviveARestart() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      open(rocks, 100, 1 << 20, 60_000).store("n2", "k", value("a", 1, "x")).join();
    }
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 1 << 20, 60_000);
      assertThat(hints.count()).isEqualTo(1);
      assertThat(hints.hintsFor("n2", 10)).hasSize(1);
    }
  }

  @Test
  void aHintPastTheCountBoundIsRefusedAndCounted() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 2, 1 << 20, 60_000);
      assertThat(hints.store("n2", "a", value("a", 1, "x")).join()).isTrue();
      assertThat(hints.store("n2", "b", value("a", 2, "x")).join()).isTrue();
      assertThat(hints.store("n2", "c", value("a", 3, "x")).join()).isFalse();
      // merging into a hint already kept is no new hint
      assertThat(hints.store("n2", "a", value("a", 4, "y")).join()).isTrue();
      assertThat(hints.count()).isEqualTo(2);
      assertThat(hints.dropped(HintStore.Dropped.FULL)).isEqualTo(1);
    }
  }

  @Test
  void aHintPastTheByteBoundIsRefused() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 200, 60_000);
      assertThat(hints.store("n2", "a", value("a", 1, "small")).join()).isTrue();
      assertThat(hints.store("n2", "b", value("a", 2, "x".repeat(500))).join()).isFalse();
      assertThat(hints.bytes()).isLessThanOrEqualTo(200);
    }
  }

  @Test
  void aHintOlderThanItsMaxAgeIsDroppedAndNeverHandedOff() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 1 << 20, 1_000);
      hints.store("n2", "old", value("a", 1, "x")).join();
      wall.addAndGet(600);
      hints.store("n2", "young", value("a", 2, "x")).join();
      // a later write merged into the old hint does not make it young again
      hints.store("n2", "old", value("a", 3, "y")).join();
      wall.addAndGet(600);
      HintStore.Hint old = hints.hintsFor("n2", 10).get(0);
      assertThat(old.key()).isEqualTo("old");
      assertThat(hints.expired(old)).isTrue();
      assertThat(hints.expire().join()).isEqualTo(1);
      assertThat(hints.hintsFor("n2", 10)).extracting(HintStore.Hint::key).containsExactly("young");
      assertThat(hints.dropped(HintStore.Dropped.EXPIRED)).isEqualTo(1);
    }
  }

  @Test
  void aWriteThatCarriesASiblingOlderThanTheBoundIsNotHinted() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 1 << 20, 1_000);
      // a coordinator that had not heard of a delete yet could send a value written before it, in a hint made after it
      VersionedValue old = value("a", 1, "written-long-ago");
      wall.addAndGet(5_000);
      VersionedValue withOldSibling = old.update("b", 1, VersionVector.EMPTY, "new".getBytes(StandardCharsets.UTF_8),
          HybridLogicalClock.timestamp(wall.get(), 0));
      assertThat(hints.store("n2", "k", withOldSibling).join()).isFalse();
      assertThat(hints.count()).isZero();
      assertThat(hints.dropped(HintStore.Dropped.EXPIRED)).isEqualTo(1);
      assertThat(hints.store("n2", "k", value("c", 1, "fresh")).join()).isTrue();
    }
  }

  @Test
  void aHandedOffHintIsRemovedUnlessSomethingMergedIntoItMeanwhile() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      HintStore hints = open(rocks, 100, 1 << 20, 60_000);
      hints.store("n2", "k", value("a", 1, "x")).join();
      HintStore.Hint sent = hints.hintsFor("n2", 1).get(0);
      hints.store("n2", "k", value("b", 1, "y")).join();
      assertThat(hints.remove(sent).join()).isFalse();
      assertThat(hints.remove(hints.hintsFor("n2", 1).get(0)).join()).isTrue();
      assertThat(hints.count()).isZero();
      assertThat(hints.pendingByOwner()).isEmpty();
    }
  }
}
