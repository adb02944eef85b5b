package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.storage.RocksDbStore;
import io.raftring.storage.StorageSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's replicas: the Merkle trees and the tombstone list follow every change, and are rebuilt alike. */
class ReplicaStoreTest {

  @TempDir
  Path dir;

  private static final long GRACE = 1_000;
  private final AtomicLong wall = new AtomicLong(5_000);
  private final NodeRing ring = NodeRing.of(List.of("n1", "n2", "n3"), 16, 2);

  private ReplicaStore open(RocksDbStore rocks, String self) {
    return new ReplicaStore(new VersionedTable(rocks.table("eventual")), self, ring, wall::get, 10, 5, GRACE);
  }

  private static VersionedValue put(VersionedValue on, String text, long counter) {
    return on.update("a", counter, null, text.getBytes(StandardCharsets.UTF_8), counter);
  }

  /** A key whose preference list (N = 2) is exactly {@code self} and {@code peer}. */
  private String keySharedBy(String self, String peer) {
    for (int i = 0; ; i++) {
      List<String> list = ring.preferenceList("k" + i);
      if (list.contains(self) && list.contains(peer)) {
        return "k" + i;
      }
    }
  }

  @Test
  void twoReplicasWithTheSameValuesHaveEqualTreesForEachOther() {
    try (RocksDbStore a = RocksDbStore.open(StorageSettings.defaults(dir.resolve("a")));
        RocksDbStore b = RocksDbStore.open(StorageSettings.defaults(dir.resolve("b")))) {
      ReplicaStore n1 = open(a, "n1");
      ReplicaStore n2 = open(b, "n2");
      String key = keySharedBy("n1", "n2");
      VersionedValue v = put(VersionedValue.EMPTY, "x", 1);
      n1.merge(key, v).join();
      assertThat(n1.snapshot("n2")).isNotEqualTo(n2.snapshot("n1"));
      List<Integer> differing = MerkleDiff.differingLeaves(n1.snapshot("n2"), n2.snapshot("n1"));
      assertThat(differing).containsExactly(MerkleTree.leafOf(NodeRing.positionOf(key), 10));
      assertThat(n1.entries("n2", new int[] {differing.get(0)}, 100)).extracting(ReplicaStore.KeyDigest::key)
          .containsExactly(key);
      n2.merge(key, v).join();
      assertThat(n1.snapshot("n2")).isEqualTo(n2.snapshot("n1"));
    }
  }

  @Test
  void theTreesAfterARestartAreTheTreesBeforeIt() {
    String key = keySharedBy("n1", "n2");
    MerkleTree.Snapshot before;
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      ReplicaStore store = open(rocks, "n1");
      store.merge(key, put(VersionedValue.EMPTY, "x", 1)).join();
      store.update(key, v -> put(v, "y", 2)).join();
      before = store.snapshot("n2");
    }
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      assertThat(open(rocks, "n1").snapshot("n2")).isEqualTo(before);
    }
  }

  @Test
  void aDeletedKeyIsListedAsATombstoneUntilItIsPurged() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      ReplicaStore store = open(rocks, "n1");
      String key = keySharedBy("n1", "n2");
      MerkleTree.Snapshot empty = store.snapshot("n2");
      VersionedValue live = put(VersionedValue.EMPTY, "x", 1);
      store.merge(key, live).join();
      assertThat(store.tombstones()).isEmpty();
      store.update(key, v -> v.update("a", 2, v.clock(), null, HybridLogicalClock.timestamp(4_000, 0))).join();
      assertThat(store.tombstones()).containsEntry(key, new ReplicaStore.Tombstone(4_000, 5_000));
      TimedValue tombstone = store.readTimed(key);
      // a purge of something that changed since is refused
      assertThat(store.purge(key, new TimedValue(live, 5_000)).join()).isFalse();
      assertThat(store.purge(key, tombstone).join()).isTrue();
      assertThat(store.tombstones()).isEmpty();
      assertThat(store.read(key)).isEqualTo(VersionedValue.EMPTY);
      assertThat(store.snapshot("n2")).isEqualTo(empty);
    }
  }

  @Test
  void aTombstonePastItsGraceIsNotTakenInWhereTheKeyWasPurgedAlready() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      ReplicaStore store = open(rocks, "n1");
      VersionedValue live = put(VersionedValue.EMPTY, "x", 1);
      VersionedValue old = live.update("a", 2, live.clock(), null, HybridLogicalClock.timestamp(3_000, 0));
      VersionedValue fresh = live.update("a", 3, live.clock(), null, HybridLogicalClock.timestamp(4_500, 0));
      // wall clock 5000, grace 1000: deleted at 3000 is past it, at 4500 is not
      store.merge("purged-here", old).join();
      assertThat(store.read("purged-here").isEmpty()).isTrue();
      store.merge("recent", fresh).join();
      assertThat(store.read("recent").isDeleted()).isTrue();
      // where the key still has a value, even an old tombstone is taken in: it supersedes that value
      store.merge("held", live).join();
      store.merge("held", old).join();
      assertThat(store.read("held").isDeleted()).isTrue();
    }
  }

  @Test
  void aChangeIsVisibleToTheNextReadBeforeItIsSynced() {
    try (RocksDbStore rocks = RocksDbStore.open(StorageSettings.defaults(dir))) {
      ReplicaStore store = open(rocks, "n1");
      store.merge("k", put(VersionedValue.EMPTY, "x", 1));
      store.update("k", v -> put(v, "y", 2)).join();
      assertThat(store.read("k").siblings()).hasSize(1);
      assertThat(new String(store.read("k").siblings().get(0).value(), StandardCharsets.UTF_8)).isEqualTo("y");
    }
  }
}
