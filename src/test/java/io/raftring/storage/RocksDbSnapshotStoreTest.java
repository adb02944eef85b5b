package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.persistence.DeleteSnapshotSuccess;
import akka.persistence.DeleteSnapshotsSuccess;
import akka.persistence.Persistence;
import akka.persistence.SaveSnapshotSuccess;
import akka.persistence.SelectedSnapshot;
import akka.persistence.SnapshotMetadata;
import akka.persistence.SnapshotProtocol;
import akka.persistence.SnapshotSelectionCriteria;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.OptionConverters;

/** The snapshot store contract through Akka's classic SnapshotProtocol: save, load the newest match, delete. */
class RocksDbSnapshotStoreTest {

  @TempDir
  static Path dir;

  private static ActorSystem system;
  private static ActorRef snapshotStore;
  private static TestKit probe;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("snapshot-test", StorageTestConfig.withStorageIn(dir));
    snapshotStore = Persistence.get(system).snapshotStoreFor("raftring.storage.snapshot-store", ConfigFactory.empty());
    probe = new TestKit(system);
  }

  @AfterAll
  static void stopSystem() {
    TestKit.shutdownActorSystem(system);
  }

  /** Saves and returns the metadata as stored: Akka's snapshot store stamps the save time into it. */
  private static SnapshotMetadata save(String persistenceId, long sequenceNr, Object snapshot) {
    SnapshotMetadata metadata = SnapshotMetadata.apply(persistenceId, sequenceNr, 0);
    snapshotStore.tell(new SnapshotProtocol.SaveSnapshot(metadata, snapshot), probe.getRef());
    SaveSnapshotSuccess saved = probe.expectMsgClass(JournalProbe.TIMEOUT, SaveSnapshotSuccess.class);
    assertThat(saved.metadata().sequenceNr()).isEqualTo(sequenceNr);
    return saved.metadata();
  }

  private static Optional<SelectedSnapshot> load(String persistenceId, SnapshotSelectionCriteria criteria) {
    snapshotStore.tell(new SnapshotProtocol.LoadSnapshot(persistenceId, criteria, Long.MAX_VALUE), probe.getRef());
    return OptionConverters.toJava(
        probe.expectMsgClass(JournalProbe.TIMEOUT, SnapshotProtocol.LoadSnapshotResult.class).snapshot());
  }

  private static long loadedSequenceNr(String persistenceId, SnapshotSelectionCriteria criteria) {
    return load(persistenceId, criteria).map(selected -> selected.metadata().sequenceNr()).orElse(0L);
  }

  @Test
  void loadReturnsTheNewestSnapshotWithItsMetadata() {
    save("newest", 10, new TestEvent("at 10"));
    SnapshotMetadata newest = save("newest", 30, new TestEvent("at 30"));
    save("newest", 20, new TestEvent("at 20")); // saved last, but older state

    SelectedSnapshot loaded = load("newest", SnapshotSelectionCriteria.latest()).orElseThrow();
    assertThat(loaded.snapshot()).isEqualTo(new TestEvent("at 30"));
    assertThat(loaded.metadata()).isEqualTo(newest);
  }

  @Test
  void loadHonoursEveryBoundOfTheCriteria() {
    // Akka stamps the save time, so timestamp bounds here are relative to the saved ones; exact timestamp ranges are
    // covered by the store's own test.
    SnapshotMetadata first = save("criteria", 10, new TestEvent("10"));
    save("criteria", 20, new TestEvent("20"));
    SnapshotMetadata last = save("criteria", 30, new TestEvent("30"));

    assertThat(loadedSequenceNr("criteria", SnapshotSelectionCriteria.create(25, Long.MAX_VALUE))).isEqualTo(20);
    assertThat(loadedSequenceNr("criteria", SnapshotSelectionCriteria.create(20, Long.MAX_VALUE))).isEqualTo(20);
    assertThat(loadedSequenceNr("criteria", SnapshotSelectionCriteria.create(Long.MAX_VALUE, Long.MAX_VALUE, 15, 0)))
        .isEqualTo(30);
    assertThat(loadedSequenceNr("criteria", SnapshotSelectionCriteria.create(25, Long.MAX_VALUE, 21, 0))).isZero();
    assertThat(loadedSequenceNr("criteria", SnapshotSelectionCriteria.create(Long.MAX_VALUE, first.timestamp() - 1)))
        .isZero();
    assertThat(loadedSequenceNr("criteria",
        SnapshotSelectionCriteria.create(Long.MAX_VALUE, Long.MAX_VALUE, 0, last.timestamp()))).isEqualTo(30);
    assertThat(load("criteria", SnapshotSelectionCriteria.none())).isEmpty();
    assertThat(load("nobody-saved-this", SnapshotSelectionCriteria.latest())).isEmpty();
  }

  @Test
  void loadLimitsToTheSequenceNrTheRecoveryAsksFor() {
    save("limited", 5, new TestEvent("5"));
    save("limited", 9, new TestEvent("9"));
    snapshotStore.tell(
        new SnapshotProtocol.LoadSnapshot("limited", SnapshotSelectionCriteria.latest(), 7), probe.getRef());
    SnapshotProtocol.LoadSnapshotResult result =
        probe.expectMsgClass(JournalProbe.TIMEOUT, SnapshotProtocol.LoadSnapshotResult.class);
    assertThat(result.snapshot().get().metadata().sequenceNr()).isEqualTo(5);
  }

  @Test
  void deletingOneSnapshotLeavesTheOthers() {
    save("delete-one", 10, new TestEvent("10"));
    SnapshotMetadata newest = save("delete-one", 20, new TestEvent("20"));

    snapshotStore.tell(new SnapshotProtocol.DeleteSnapshot(newest), probe.getRef());
    probe.expectMsgClass(JournalProbe.TIMEOUT, DeleteSnapshotSuccess.class);

    assertThat(loadedSequenceNr("delete-one", SnapshotSelectionCriteria.latest())).isEqualTo(10);
  }

  @Test
  void deletingOneSnapshotWithoutATimestampDeletesItWhateverItsTimestamp() {
    save("delete-any-time", 10, new TestEvent("10"));
    save("delete-any-time", 20, new TestEvent("20"));

    snapshotStore.tell(
        new SnapshotProtocol.DeleteSnapshot(SnapshotMetadata.apply("delete-any-time", 20, 0)), probe.getRef());
    probe.expectMsgClass(JournalProbe.TIMEOUT, DeleteSnapshotSuccess.class);

    assertThat(loadedSequenceNr("delete-any-time", SnapshotSelectionCriteria.latest())).isEqualTo(10);
  }

  @Test
  void deletingByCriteriaDeletesExactlyTheMatchingSnapshots() {
    save("delete-many", 10, new TestEvent("10"));
    save("delete-many", 20, new TestEvent("20"));
    save("delete-many", 30, new TestEvent("30"));
    save("delete-many-neighbour", 15, new TestEvent("15"));

    SnapshotSelectionCriteria upTo20 = SnapshotSelectionCriteria.create(20, Long.MAX_VALUE);
    snapshotStore.tell(new SnapshotProtocol.DeleteSnapshots("delete-many", upTo20), probe.getRef());
    probe.expectMsgClass(JournalProbe.TIMEOUT, DeleteSnapshotsSuccess.class);

    assertThat(loadedSequenceNr("delete-many", SnapshotSelectionCriteria.latest())).isEqualTo(30);
    assertThat(load("delete-many", upTo20)).isEmpty();
    assertThat(loadedSequenceNr("delete-many-neighbour", SnapshotSelectionCriteria.latest())).isEqualTo(15);

    snapshotStore.tell(
        new SnapshotProtocol.DeleteSnapshots("delete-many", SnapshotSelectionCriteria.latest()), probe.getRef());
    probe.expectMsgClass(JournalProbe.TIMEOUT, DeleteSnapshotsSuccess.class);
    assertThat(load("delete-many", SnapshotSelectionCriteria.latest())).isEmpty();
  }

  @Test
  void aSnapshotThatCannotBeSerializedFailsToSave() {
    SnapshotMetadata metadata = SnapshotMetadata.apply("unserializable", 1, 100);
    snapshotStore.tell(new SnapshotProtocol.SaveSnapshot(metadata, new NotSerializableEvent()), probe.getRef());
    akka.persistence.SaveSnapshotFailure failure =
        probe.expectMsgClass(JournalProbe.TIMEOUT, akka.persistence.SaveSnapshotFailure.class);
    assertThat(failure.cause()).hasMessageContaining(NotSerializableEvent.class.getName());
    assertThat(load("unserializable", SnapshotSelectionCriteria.latest())).isEmpty();
  }
}
