package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a tombstone may be purged: after its grace period, and only once anti-entropy gave it to every replica. */
class TombstoneReaperTest {

  private static final long DELETED_AT = 1_000;
  private static final long GRACE = 500;
  /** Deleted at DELETED_AT and held here since then. */
  private static final ReplicaStore.Tombstone TOMBSTONE = new ReplicaStore.Tombstone(DELETED_AT, DELETED_AT);

  @Test
  void aTombstoneStaysThroughItsGracePeriod() {
    Map<String, Long> converged = Map.of("n2", 5_000L, "n3", 5_000L);
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, DELETED_AT + GRACE, GRACE, List.of("n2", "n3"),
        converged::get)).isFalse();
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, DELETED_AT + GRACE + 1, GRACE, List.of("n2", "n3"),
        converged::get)).isTrue();
  }

  @Test
  void aTombstoneStaysUntilEveryOtherReplicaConvergedWithThisOneAfterIt() {
    long later = DELETED_AT + GRACE + 1_000;
    Map<String, Long> n3Behind = Map.of("n2", 2_000L, "n3", 900L);
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, later, GRACE, List.of("n2", "n3"), n3Behind::get)).isFalse();
    Map<String, Long> n3Never = Map.of("n2", 2_000L, "n3", 0L);
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, later, GRACE, List.of("n2", "n3"), n3Never::get)).isFalse();
    Map<String, Long> sameMillisecond = Map.of("n2", DELETED_AT);
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, later, GRACE, List.of("n2"), sameMillisecond::get)).isFalse();
  }

  @Test
  void aKeyWithNoOtherReplicaNeedsOnlyItsGracePeriod() {
    assertThat(TombstoneReaper.purgeable(TOMBSTONE, DELETED_AT + GRACE + 1, GRACE, List.of(), peer -> 0)).isTrue();
  }

  @Test
  void aTombstoneThatArrivedLateNeedsExchangesSinceThenButNoSecondGracePeriod() {
    ReplicaStore.Tombstone late = new ReplicaStore.Tombstone(DELETED_AT, 5_000);
    Map<String, Long> before = Map.of("n2", 4_000L);
    assertThat(TombstoneReaper.purgeable(late, 5_100, GRACE, List.of("n2"), before::get)).isFalse();
    Map<String, Long> after = Map.of("n2", 5_050L);
    assertThat(TombstoneReaper.purgeable(late, 5_100, GRACE, List.of("n2"), after::get)).isTrue();
  }

  @Test
  void aSweepPurgesOnlyTheTombstonesEveryReplicaHasByNow(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.util.concurrent.atomic.AtomicLong wall = new java.util.concurrent.atomic.AtomicLong(DELETED_AT);
    NodeRing ring = NodeRing.of(List.of("n1", "n2", "n3"), 16, 3);
    Map<String, Long> converged = new java.util.HashMap<>(Map.of("n2", 0L, "n3", 0L));
    io.raftring.metrics.MetricsRegistry registry = new io.raftring.metrics.MetricsRegistry();
    try (io.raftring.storage.RocksDbStore rocks = io.raftring.storage.RocksDbStore.open(
        io.raftring.storage.StorageSettings.defaults(dir))) {
      ReplicaStore store = new ReplicaStore(new VersionedTable(rocks.table("eventual")), "n1", ring, wall::get, 10, 5,
          GRACE);
      TombstoneReaper reaper = new TombstoneReaper("n1", store, converged::get, GRACE, wall::get,
          new EvMetrics(registry));
      // given a deleted key and a live one
      VersionedValue live = VersionedValue.EMPTY.update("a", 1, null, new byte[] {1}, 1);
      store.merge("gone", live).join();
      store.merge("kept", live).join();
      store.update("gone", v -> v.update("a", 2, v.clock(), null, HybridLogicalClock.timestamp(DELETED_AT, 0))).join();
      // when the grace period passed but n3 has not converged with n1 since the delete
      wall.set(DELETED_AT + GRACE + 1);
      converged.put("n2", DELETED_AT + 10);
      // then nothing is purged
      assertThat(reaper.sweep()).isZero();
      // and once n3 has, the tombstone goes, and only it
      converged.put("n3", DELETED_AT + 20);
      assertThat(reaper.sweep()).isEqualTo(1);
      assertThat(store.tombstones()).isEmpty();
      assertThat(store.read("gone").isEmpty()).isTrue();
      assertThat(store.read("kept")).isEqualTo(live);
    }
  }

  @Test
  void theGracePeriodMustOutliveEveryHint() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventualSettings.fromConfig(
            com.typesafe.config.ConfigFactory.parseString(
                "raftring.eventual.tombstones.grace = 1h, raftring.eventual.hinted-handoff.max-age = 3h")
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference())))
        .hasMessageContaining("must be longer than");
  }
}
