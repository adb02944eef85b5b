package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real EventSourcedBehavior persisting, snapshotting and recovering through our journal and snapshot store. */
class EventSourcedRecoveryTest {

  @TempDir
  static Path dir;

  private static ActorTestKit testKit;

  @BeforeAll
  static void startTestKit() {
    testKit = ActorTestKit.create("recovery-test", StorageTestConfig.withStorageIn(dir.resolve("node")));
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  private static CounterEntity.State add(ActorTestKit kit, ActorRef<CounterEntity.Command> counter, Integer... amounts) {
    TestProbe<CounterEntity.State> probe = kit.createTestProbe();
    counter.tell(new CounterEntity.Add(List.of(amounts), probe.getRef()));
    return probe.receiveMessage(JournalProbe.TIMEOUT);
  }

  private static CounterEntity.State get(ActorTestKit kit, ActorRef<CounterEntity.Command> counter) {
    TestProbe<CounterEntity.State> probe = kit.createTestProbe();
    counter.tell(new CounterEntity.Get(probe.getRef()));
    return probe.receiveMessage(JournalProbe.TIMEOUT);
  }

  @Test
  void aRestartedEntityRecoversItsStateFromTheJournal() {
    ActorRef<CounterEntity.Command> counter = testKit.spawn(CounterEntity.create("counter-restart"));
    add(testKit, counter, 1);
    add(testKit, counter, 2, 3); // one atomic write of two events
    testKit.stop(counter, JournalProbe.TIMEOUT);

    ActorRef<CounterEntity.Command> recovered = testKit.spawn(CounterEntity.create("counter-restart"));
    assertThat(get(testKit, recovered)).isEqualTo(new CounterEntity.State(6, 3));
    assertThat(add(testKit, recovered, 4)).isEqualTo(new CounterEntity.State(10, 4));
  }

  @Test
  void anEntityRecoversFromSnapshotAndLaterEventsInANewActorSystemAfterOldEventsWereDeleted() throws Exception {
    Path nodeDir = dir.resolve("restarted-node");
    ActorTestKit first = ActorTestKit.create("recovery-first", StorageTestConfig.withStorageIn(nodeDir));
    try {
      ActorRef<CounterEntity.Command> counter = first.spawn(CounterEntity.create("counter-snapshot"));
      for (int i = 1; i <= 12; i++) {
        add(first, counter, i);
      }
      assertThat(get(first, counter)).isEqualTo(new CounterEntity.State(78, 12));
      first.stop(counter, JournalProbe.TIMEOUT);
    } finally {
      first.shutdownTestKit();
    }

    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(nodeDir))) {
      // Snapshots were taken at 5 and 10. Retention keeps two snapshots' worth of events, so delete up to the newest
      // snapshot here: recovery must then combine the snapshot at 10 with events 11-12.
      assertThat(store.newestSnapshot("counter-snapshot", SnapshotBounds.all()))
          .hasValueSatisfying(snapshot -> assertThat(snapshot.sequenceNr()).isEqualTo(10));
      assertThat(store.highestSequenceNr("counter-snapshot")).isEqualTo(12);
      store.deleteEventsTo("counter-snapshot", 10).get(10, TimeUnit.SECONDS);
    }

    ActorTestKit second = ActorTestKit.create("recovery-second", StorageTestConfig.withStorageIn(nodeDir));
    try {
      ActorRef<CounterEntity.Command> recovered = second.spawn(CounterEntity.create("counter-snapshot"));
      // Only the snapshot at 10 and events 11-12 are left: the state must come from both.
      assertThat(get(second, recovered)).isEqualTo(new CounterEntity.State(78, 12));
      assertThat(add(second, recovered, 100)).isEqualTo(new CounterEntity.State(178, 13));
    } finally {
      second.shutdownTestKit();
    }
  }
}
