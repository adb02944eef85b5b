package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/** The store without Akka: group commit, its failure handling and closing. */
class RocksDbStoreTest {

  @TempDir
  Path dir;

  private static JournalEntry entry(long sequenceNr) {
    return new JournalEntry(sequenceNr, ("event-" + sequenceNr).getBytes(StandardCharsets.UTF_8));
  }

  private static List<Long> replayedSequenceNrs(RocksDbStore store, String persistenceId) {
    List<Long> sequenceNrs = new ArrayList<>();
    store.replayEvents(persistenceId, 1, Long.MAX_VALUE, Long.MAX_VALUE, (bytes, sequenceNr) -> sequenceNrs.add(sequenceNr));
    return sequenceNrs;
  }

  @Test
  void listsEveryPersistenceIdWithEventsOrSnapshotsOneSeekEach() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      List<CompletableFuture<Void>> writes = new java.util.ArrayList<>();
      for (long n = 1; n <= 50; n++) {
        writes.add(store.appendEvents("raft|g1|n1", List.of(entry(n))));
      }
      writes.add(store.appendEvents("raft|g10|n1", List.of(entry(1))));
      writes.add(store.appendEvents("b", List.of(entry(1))));
      writes.add(store.saveSnapshot("only-a-snapshot", 7, 1, new byte[] {1}));
      writes.forEach(CompletableFuture::join);
      assertThat(store.persistenceIds()).containsExactlyInAnyOrder("b", "only-a-snapshot", "raft|g1|n1", "raft|g10|n1");
    }
  }

  @Test
  void concurrentWritersShareSyncedWrites() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      int writers = 32;
      int writesEach = 20;
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String persistenceId = "writer-" + w;
        done.add(CompletableFuture.runAsync(() -> {
          awaitQuietly(start);
          for (long sequenceNr = 1; sequenceNr <= writesEach; sequenceNr++) {
            store.appendEvents(persistenceId, List.of(entry(sequenceNr))).join(); // like a replica: wait for each ack
          }
        }, runnable -> new Thread(runnable).start()));
      }
      start.countDown();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(store.committedOperations()).isEqualTo(writers * writesEach);
      // With one fsync per write these would be equal; group commit must make them share.
      assertThat(store.syncedWrites()).isLessThan(store.committedOperations() / 2);
      for (int w = 0; w < writers; w++) {
        assertThat(replayedSequenceNrs(store, "writer-" + w)).hasSize(writesEach);
      }
    }
  }

  @Test
  void anOperationThatFailsToBuildFailsAloneAndTheWriterKeepsWriting() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      // Reach the writer directly: an operation that puts one key and then fails must leave no trace.
      GroupCommitWriter writer = writerOf(store);
      CompletableFuture<Void> failing = writer.submit(new BatchOperation() {
        @Override
        public long sizeBytes() {
          return 1;
        }

        @Override
        public void addTo(WriteBatch batch) throws org.rocksdb.RocksDBException {
          batch.put("half-written".getBytes(), "x".getBytes());
          throw new IllegalStateException("cannot build this operation");
        }
      });
      CompletableFuture<Void> healthy = store.appendEvents("p", List.of(entry(1), entry(2)));

      assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
      healthy.get(10, TimeUnit.SECONDS);
      store.appendEvents("p", List.of(entry(3))).get(10, TimeUnit.SECONDS);
      assertThat(replayedSequenceNrs(store, "p")).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void closingWritesWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
    RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir));
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (long sequenceNr = 1; sequenceNr <= 200; sequenceNr++) {
      queued.add(store.appendEvents("p", List.of(entry(sequenceNr))));
    }
    store.close();
    for (CompletableFuture<Void> write : queued) {
      assertThat(write).isCompleted().isNotCompletedExceptionally();
    }
    assertThat(store.appendEvents("p", List.of(entry(201))))
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableThat()
        .withCauseInstanceOf(StoreClosedException.class);

    try (RocksDbStore reopened = RocksDbStore.open(StorageSettings.defaults(dir))) {
      assertThat(replayedSequenceNrs(reopened, "p")).hasSize(200);
      assertThat(reopened.highestSequenceNr("p")).isEqualTo(200);
    }
  }

  @Test
  void persistenceIdsThatArePrefixesOfEachOtherDoNotMix() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      store.appendEvents("a", List.of(entry(1))).get(10, TimeUnit.SECONDS);
      store.appendEvents("ab", List.of(entry(1), entry(2))).get(10, TimeUnit.SECONDS);
      store.appendEvents("a\u0000b", List.of(entry(1), entry(2), entry(3))).get(10, TimeUnit.SECONDS);

      assertThat(replayedSequenceNrs(store, "a")).containsExactly(1L);
      assertThat(store.highestSequenceNr("a")).isEqualTo(1);
      assertThat(store.highestSequenceNr("ab")).isEqualTo(2);
      assertThat(store.highestSequenceNr("a\u0000b")).isEqualTo(3);
      store.deleteEventsTo("a", Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
      assertThat(replayedSequenceNrs(store, "ab")).containsExactly(1L, 2L);
    }
  }

  @Test
  void snapshotsAreFoundByEverySequenceNrAndTimestampBound() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      store.saveSnapshot("s", 10, 1_000, new byte[] {10}).get(10, TimeUnit.SECONDS);
      store.saveSnapshot("s", 20, 2_000, new byte[] {20}).get(10, TimeUnit.SECONDS);
      store.saveSnapshot("s", 30, 3_000, new byte[] {30}).get(10, TimeUnit.SECONDS);
      store.saveSnapshot("s2", 99, 9_000, new byte[] {99}).get(10, TimeUnit.SECONDS);

      assertThat(newestSequenceNr(store, new SnapshotBounds(0, Long.MAX_VALUE, 0, Long.MAX_VALUE))).isEqualTo(30);
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, 25, 0, Long.MAX_VALUE))).isEqualTo(20);
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, Long.MAX_VALUE, 0, 2_500))).isEqualTo(20);
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, Long.MAX_VALUE, 0, 1_000))).isEqualTo(10);
      assertThat(newestSequenceNr(store, new SnapshotBounds(15, Long.MAX_VALUE, 0, 1_000))).isZero();
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, Long.MAX_VALUE, 2_001, Long.MAX_VALUE))).isEqualTo(30);
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, 29, 2_001, Long.MAX_VALUE))).isZero();

      store.deleteSnapshots("s", new SnapshotBounds(0, Long.MAX_VALUE, 1_500, 2_500)).get(10, TimeUnit.SECONDS);
      assertThat(newestSequenceNr(store, new SnapshotBounds(0, 29, 0, Long.MAX_VALUE))).isEqualTo(10);
      assertThat(store.newestSnapshot("s2", SnapshotBounds.all()).orElseThrow().bytes()).containsExactly(99);
    }
  }

  private static long newestSequenceNr(RocksDbStore store, SnapshotBounds bounds) {
    return store.newestSnapshot("s", bounds).map(StoredSnapshot::sequenceNr).orElse(0L);
  }

  private static GroupCommitWriter writerOf(RocksDbStore store) throws ReflectiveOperationException {
    var field = RocksDbStore.class.getDeclaredField("writer");
    field.setAccessible(true);
    return (GroupCommitWriter) field.get(store);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("start signal did not come");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
