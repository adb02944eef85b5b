package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.persistence.JournalProtocol;
import akka.persistence.Persistence;
import akka.persistence.SnapshotProtocol;
import akka.persistence.SnapshotSelectionCriteria;
import akka.serialization.SerializationExtension;
import akka.serialization.jackson.JacksonCborSerializer;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Akka Persistence journal contract, one test per clause, driven through the classic JournalProtocol as a
 * persistent actor would drive it. Each test uses its own persistenceIds, so they share one ActorSystem.
 */
class RocksDbJournalTest {

  private static final String PLUGIN = "raftring.storage.journal";

  @TempDir
  static Path dir;

  private static ActorSystem system;
  private static JournalProbe journal;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("journal-test", StorageTestConfig.withStorageIn(dir.resolve("node")));
    journal = new JournalProbe(system, PLUGIN);
  }

  @AfterAll
  static void stopSystem() {
    TestKit.shutdownActorSystem(system);
  }

  private static TestEvent[] events(String prefix, int count) {
    TestEvent[] events = new TestEvent[count];
    for (int i = 0; i < count; i++) {
      events[i] = new TestEvent(prefix + "-" + (i + 1));
    }
    return events;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void anAtomicWriteOfSeveralEventsIsWrittenWhole() {
    journal.writeSuccessfully("atomic", 1, (Object[]) events("e", 3));

    JournalProbe.Replay replay = journal.replayAll("atomic");
    assertThat(replay.sequenceNrs()).containsExactly(1L, 2L, 3L);
    assertThat(replay.payloads()).containsExactly((Object[]) events("e", 3));
    assertThat(replay.highestSequenceNr()).isEqualTo(3);
  }

  @Test
  void anAtomicWriteWithOneUnserializableEventStoresNoneOfItsEvents() {
    List<Object> results = journal.write(JournalProbe.atomicWrite(
        "all-or-nothing", 1, new TestEvent("fine"), new NotSerializableEvent(), new TestEvent("also fine")));

    assertThat(results).hasSize(3)
        .allSatisfy(result -> assertThat(result).isInstanceOf(JournalProtocol.WriteMessageRejected.class));
    JournalProbe.Replay replay = journal.replayAll("all-or-nothing");
    assertThat(replay.events()).isEmpty();
    assertThat(replay.highestSequenceNr()).isZero();
  }

  @Test
  void anUnserializableWriteIsRejectedWhileTheOthersOfTheSameCallAreWritten() {
    List<Object> results = journal.write(
        JournalProbe.atomicWrite("neighbour-before", 1, new TestEvent("a"), new TestEvent("b")),
        JournalProbe.atomicWrite("rejected", 1, new NotSerializableEvent()),
        JournalProbe.atomicWrite("neighbour-after", 1, new TestEvent("c")));

    assertThat(results).hasSize(4);
    assertThat(results.get(0)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
    assertThat(results.get(1)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
    assertThat(results.get(2)).isInstanceOfSatisfying(JournalProtocol.WriteMessageRejected.class,
        rejected -> assertThat(rejected.cause()).hasMessageContaining(NotSerializableEvent.class.getName()));
    assertThat(results.get(3)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
    assertThat(journal.replayAll("neighbour-before").payloads())
        .containsExactly(new TestEvent("a"), new TestEvent("b"));
    assertThat(journal.replayAll("neighbour-after").payloads()).containsExactly(new TestEvent("c"));
    assertThat(journal.replayAll("rejected").events()).isEmpty();
  }

  @Test
  void replayReturnsEventsInOrderWithinFromToAndMax() {
    // Written as several calls, so replay must join them in order.
    journal.writeSuccessfully("bounds", 1, (Object[]) events("a", 4));
    journal.writeSuccessfully("bounds", 5, (Object[]) events("b", 3));
    journal.writeSuccessfully("bounds", 8, (Object[]) events("c", 3));

    assertThat(journal.replayAll("bounds").sequenceNrs()).isEqualTo(range(1, 10));
    assertThat(journal.replay("bounds", 3, 7, Long.MAX_VALUE).sequenceNrs()).isEqualTo(range(3, 7));
    assertThat(journal.replay("bounds", 3, 7, 2).sequenceNrs()).containsExactly(3L, 4L);
    assertThat(journal.replay("bounds", 1, Long.MAX_VALUE, 1).sequenceNrs()).containsExactly(1L);
    assertThat(journal.replay("bounds", 10, 10, 5).sequenceNrs()).containsExactly(10L);
    assertThat(journal.replay("bounds", 11, Long.MAX_VALUE, 5).sequenceNrs()).isEmpty();
    assertThat(journal.replay("bounds", 5, 4, 5).sequenceNrs()).isEmpty();
    assertThat(journal.replay("bounds", 1, 10, 0).sequenceNrs()).isEmpty();
    assertThat(journal.replay("bounds", 3, 7, 10).highestSequenceNr()).isEqualTo(10);
  }

  @Test
  void theHighestSequenceNrIsKeptWhenAllEventsAreDeleted() {
    journal.writeSuccessfully("highest", 1, (Object[]) events("e", 5));
    journal.deleteTo("highest", 5);

    JournalProbe.Replay afterDelete = journal.replayAll("highest");
    assertThat(afterDelete.events()).isEmpty();
    assertThat(afterDelete.highestSequenceNr()).isEqualTo(5);

    journal.writeSuccessfully("highest", 6, new TestEvent("after"));
    JournalProbe.Replay afterNextWrite = journal.replayAll("highest");
    assertThat(afterNextWrite.sequenceNrs()).containsExactly(6L);
    assertThat(afterNextWrite.highestSequenceNr()).isEqualTo(6);
  }

  @Test
  void deleteToRemovesTheEventsUpToAndIncludingItAndRemembersHowFar() {
    journal.writeSuccessfully("delete-to", 1, (Object[]) events("e", 10));

    journal.deleteTo("delete-to", 4);
    assertThat(journal.replayAll("delete-to").sequenceNrs()).isEqualTo(range(5, 10));
    assertThat(journal.replay("delete-to", 2, 6, 10).sequenceNrs()).containsExactly(5L, 6L);

    journal.deleteTo("delete-to", 2); // below what is deleted already: nothing changes
    assertThat(journal.replayAll("delete-to").sequenceNrs()).isEqualTo(range(5, 10));
    assertThat(storeOfThisSystem(store -> store.deletedToSequenceNr("delete-to"))).isEqualTo(4);

    journal.deleteTo("delete-to", 7);
    assertThat(journal.replayAll("delete-to").sequenceNrs()).isEqualTo(range(8, 10));
    assertThat(storeOfThisSystem(store -> store.deletedToSequenceNr("delete-to"))).isEqualTo(7);
  }

  @Test
  void deletingBeyondTheHighestSequenceNrDoesNotSwallowLaterEvents() {
    journal.writeSuccessfully("delete-all", 1, (Object[]) events("e", 3));
    journal.deleteTo("delete-all", Long.MAX_VALUE);
    assertThat(journal.replayAll("delete-all").highestSequenceNr()).isEqualTo(3);

    journal.writeSuccessfully("delete-all", 4, (Object[]) events("later", 2));
    assertThat(journal.replayAll("delete-all").sequenceNrs()).containsExactly(4L, 5L);
  }

  @Test
  void manyPersistenceIdsWritingInterleavedEachReplayOnlyTheirOwnEvents() {
    // Ids that are prefixes of each other must not bleed into each other's key range.
    List<String> ids = new ArrayList<>(List.of("p", "p1", "p|1", "p|10", "p\u0000", "raft|7|node-1", "ß-unicode"));
    for (int i = 0; i < 13; i++) {
      ids.add("replica-" + i);
    }
    int rounds = 5;
    // Every round sends one write per id without waiting: the journal sees them interleaved and concurrently.
    for (int round = 0; round < rounds; round++) {
      for (String id : ids) {
        journal.sendWrite(JournalProbe.atomicWrite(
            id, round * 2L + 1, new TestEvent(id + "#" + (round * 2 + 1)), new TestEvent(id + "#" + (round * 2 + 2))));
      }
    }
    for (int write = 0; write < rounds * ids.size(); write++) {
      assertThat(journal.expectWriteResults(2))
          .allSatisfy(result -> assertThat(result).isInstanceOf(JournalProtocol.WriteMessageSuccess.class));
    }

    for (String id : ids) {
      JournalProbe.Replay replay = journal.replayAll(id);
      assertThat(replay.sequenceNrs()).as(id).isEqualTo(range(1, rounds * 2L));
      assertThat(replay.events()).as(id).allSatisfy(event -> {
        assertThat(event.persistenceId()).isEqualTo(id);
        assertThat(event.payload()).isEqualTo(new TestEvent(id + "#" + event.sequenceNr()));
      });
    }
  }

  @Test
  void eventsBoundToJacksonCborAreStoredWithIt() {
    assertThat(SerializationExtension.get(system).findSerializerFor(new TestEvent("x")))
        .isInstanceOf(JacksonCborSerializer.class);
    journal.writeSuccessfully("cbor", 1, new TestEvent("räksmörgås"));
    // Java serialization is off, so the event can only have come back through the CBOR serializer.
    assertThat(journal.replayAll("cbor").events().get(0).payload()).isEqualTo(new TestEvent("räksmörgås"));
    assertThat(journal.replayAll("cbor").events().get(0).writerUuid()).isEqualTo("journal-probe");
  }

  @Test
  void theJournalAndTheSnapshotStoreOfOneSystemShareOneDatabase() {
    ActorRef snapshotStore =
        Persistence.get(system).snapshotStoreFor("raftring.storage.snapshot-store", ConfigFactory.empty());
    // Plugin actors start asynchronously; an answered request shows this one holds the database.
    TestKit probe = new TestKit(system);
    snapshotStore.tell(
        new SnapshotProtocol.LoadSnapshot("nobody", SnapshotSelectionCriteria.latest(), Long.MAX_VALUE), probe.getRef());
    probe.expectMsgClass(JournalProbe.TIMEOUT, SnapshotProtocol.LoadSnapshotResult.class);
    journal.replayAll("nobody");
    assertThat(RocksDbStoreRegistry.references(dir.resolve("node"))).isEqualTo(2);
  }

  @Test
  void everythingWrittenSurvivesClosingAndReopeningTheActorSystem() throws Exception {
    Path nodeDir = dir.resolve("reopened-node");
    ActorSystem first = ActorSystem.create("journal-reopen-1", StorageTestConfig.withStorageIn(nodeDir));
    try {
      JournalProbe firstJournal = new JournalProbe(first, PLUGIN);
      firstJournal.writeSuccessfully("kept", 1, (Object[]) events("e", 6));
      firstJournal.writeSuccessfully("kept-too", 1, new TestEvent("x"));
      firstJournal.deleteTo("kept", 2);
    } finally {
      TestKit.shutdownActorSystem(first);
    }
    // Terminating the system stopped the plugin, which released and closed the database.
    assertThat(RocksDbStoreRegistry.references(nodeDir)).isZero();

    ActorSystem second = ActorSystem.create("journal-reopen-2", StorageTestConfig.withStorageIn(nodeDir));
    try {
      JournalProbe secondJournal = new JournalProbe(second, PLUGIN);
      JournalProbe.Replay kept = secondJournal.replayAll("kept");
      assertThat(kept.sequenceNrs()).isEqualTo(range(3, 6));
      assertThat(kept.payloads()).containsExactly(new TestEvent("e-3"), new TestEvent("e-4"), new TestEvent("e-5"),
          new TestEvent("e-6"));
      assertThat(kept.highestSequenceNr()).isEqualTo(6);
      assertThat(secondJournal.replayAll("kept-too").payloads()).containsExactly(new TestEvent("x"));
    } finally {
      TestKit.shutdownActorSystem(second);
    }
  }

  /** Looks into this system's database (the registry hands out the instance the plugins hold). */
  private static long storeOfThisSystem(java.util.function.ToLongFunction<RocksDbStore> read) {
    RocksDbStore store = RocksDbStoreRegistry.acquire(StorageSettings.defaults(dir.resolve("node")));
    try {
      return read.applyAsLong(store);
    } finally {
      RocksDbStoreRegistry.release(store);
    }
  }
}
