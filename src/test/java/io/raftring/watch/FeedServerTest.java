package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import io.raftring.kv.LeaseTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed a node serves watchers from: a pull waits until an event its filter matches is applied, or until the
 * progress interval passed (then it learns the newest revision), and hears at once when its revision fell out of the
 * history.
 */
class FeedServerTest {

  private static final Duration PROGRESS = Duration.ofSeconds(4);
  private static ActorTestKit kit;
  private static ManualTime time;

  private final AtomicLong clock = new AtomicLong();
  private NodeHistories histories;
  private KvListener g0;
  private ActorRef<FeedServer.Command> feed;
  private TestProbe<FeedServer.PullReply> probe;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(ManualTime.config());
    time = ManualTime.get(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void freshFeed() {
    histories = new NodeHistories(new GroupHistory.Limits(100, 1 << 20, Duration.ofMinutes(1)), clock::get);
    g0 = histories.listenerFor("g0");
    feed = kit.spawn(FeedServer.create(histories, PROGRESS, clock::get));
    probe = kit.createTestProbe();
  }

  private void pull(WatchFilter filter, long after, long id) {
    feed.tell(new FeedServer.Pull("g0", filter, after, 100, 1 << 20, id, false, probe.getRef()));
  }

  /** Returns once the feed took every message sent before (an answer to a later pull comes after them). */
  private void parked() {
    feed.tell(new FeedServer.Pull("no-such-group", WatchFilter.key("a"), 0, 1, 1, -1, false, probe.getRef()));
    probe.expectMessageClass(FeedServer.NotHere.class);
  }

  private void passes(Duration d) {
    clock.addAndGet(d.toNanos());
    time.timePasses(d);
  }

  @Test
  void aKeyPullWaitsForAChangeOfItsKeyAndNotOfOthers() {
    g0.applied(1, List.of(put("other", 1)), List.of());
    pull(WatchFilter.key("mine"), 1, 7);
    g0.applied(2, List.of(put("other", 2)), List.of());
    g0.applied(3, List.of(put("mine", 3)), List.of());

    FeedServer.Events events = probe.expectMessageClass(FeedServer.Events.class);
    assertThat(events.pullId()).isEqualTo(7);
    assertThat(events.events()).extracting(KvEvent::key).containsExactly("mine");
    assertThat(events.through()).isEqualTo(3);
  }

  @Test
  void aCancelledPullIsDroppedUnansweredAndACancelOfAnEarlierPullKeepsTheLaterOne() {
    TestProbe<FeedServer.PullReply> other = kit.createTestProbe();
    pull(WatchFilter.key("mine"), 0, 1);
    feed.tell(new FeedServer.Pull("g0", WatchFilter.key("mine"), 0, 100, 1 << 20, 4, false, other.getRef()));
    feed.tell(new FeedServer.Cancel("g0", 1, probe.getRef()));
    feed.tell(new FeedServer.Cancel("g0", 3, other.getRef()));
    parked();

    g0.applied(1, List.of(put("mine", 1)), List.of());

    assertThat(other.expectMessageClass(FeedServer.Events.class).pullId()).isEqualTo(4);
    parked();
    passes(PROGRESS.plusSeconds(1));
    parked();
  }

  @Test
  void aPrefixPullIsAnsweredByAnyKeyUnderIt() {
    pull(WatchFilter.prefix("app/"), 0, 1);
    g0.applied(1, List.of(put("zzz", 1)), List.of());
    g0.applied(2, List.of(put("app/x", 2)), List.of());

    assertThat(probe.expectMessageClass(FeedServer.Events.class).events()).extracting(KvEvent::key)
        .containsExactly("app/x");
  }

  @Test
  void aPullBehindEventsItMatchesIsAnsweredAtOnce() {
    g0.applied(1, List.of(put("a", 1)), List.of());
    g0.applied(2, List.of(put("b", 2)), List.of());

    pull(WatchFilter.prefix(""), 0, 1);

    assertThat(probe.expectMessageClass(FeedServer.Events.class).events()).hasSize(2);
  }

  @Test
  void aQuietPullHearsTheNewestRevisionAfterTheProgressInterval() {
    g0.applied(1, List.of(put("other", 1)), List.of());
    pull(WatchFilter.key("mine"), 1, 1);
    g0.applied(2, List.of(put("other", 2)), List.of());
    parked();

    passes(PROGRESS.minusMillis(1_100));
    probe.expectNoMessage(Duration.ofMillis(50));
    passes(Duration.ofMillis(1_100));

    FeedServer.Events progress = probe.expectMessageClass(FeedServer.Events.class);
    assertThat(progress.events()).isEmpty();
    assertThat(progress.through()).isEqualTo(2);
  }

  @Test
  void fromNowIsAnsweredAtOnceWithTheNewestRevision() {
    g0.applied(5, List.of(put("a", 5)), List.of());

    pull(WatchFilter.key("a"), -1, 1);

    assertThat(probe.expectMessageClass(FeedServer.Events.class)).isEqualTo(
        new FeedServer.Events("g0", 1, List.of(), 5));
  }

  @Test
  void aParkedPullHearsWhenASnapshotCutTheHistoryPastIt() {
    g0.applied(1, List.of(put("a", 1)), List.of());
    pull(WatchFilter.key("mine"), 1, 1);

    g0.restored(50, LeaseTable.View.EMPTY);

    assertThat(probe.expectMessageClass(FeedServer.Compacted.class).floor()).isEqualTo(50);
  }

  /** Appends one event of another key per revision from {@code from} to {@code to}, letting the feed keep up. */
  private void othersThrough(long from, long to) {
    for (long revision = from; revision <= to; revision++) {
      g0.applied(revision, List.of(put("other", revision)), List.of());
      if (revision % 10 == 0) {
        parked();
      }
    }
    parked();
  }

  @Test
  void aParkedPullOfAQuietKeyOutlivesTheHistoryMovingPastItsRevision() {
    g0.applied(1, List.of(put("a", 1)), List.of());
    pull(WatchFilter.key("mine"), 1, 1);

    othersThrough(2, 250); // the history keeps 100 events: its floor passes the pull's revision, checked all the way

    g0.applied(251, List.of(put("mine", 251)), List.of());
    FeedServer.Events events = probe.expectMessageClass(FeedServer.Events.class);
    assertThat(events.events()).extracting(KvEvent::revision).containsExactly(251L);
    assertThat(events.through()).isEqualTo(251);
  }

  @Test
  void aQuietPullWhoseRevisionLeftTheHistoryHearsTheNewestRevisionNotCompacted() {
    g0.applied(1, List.of(put("a", 1)), List.of());
    pull(WatchFilter.key("mine"), 1, 1);
    othersThrough(2, 250);

    passes(PROGRESS.plusSeconds(1));

    FeedServer.Events progress = probe.expectMessageClass(FeedServer.Events.class);
    assertThat(progress.events()).isEmpty();
    assertThat(progress.through()).isEqualTo(250);
  }

  @Test
  void aGroupWithoutAReplicaHereIsNotHere() {
    feed.tell(new FeedServer.Pull("g9", WatchFilter.key("a"), 0, 100, 1 << 20, 3, false, probe.getRef()));

    assertThat(probe.expectMessageClass(FeedServer.NotHere.class).pullId()).isEqualTo(3);
  }

  @Test
  void aStartingPullIsAnsweredAtOnceEvenWhenNothingMatchesYet() {
    g0.applied(1, List.of(put("mine", 1)), List.of());
    g0.applied(2, List.of(put("other", 2)), List.of());

    feed.tell(new FeedServer.Pull("g0", WatchFilter.key("mine"), 1, 100, 1 << 20, 5, true, probe.getRef()));

    assertThat(probe.expectMessageClass(FeedServer.Events.class)).isEqualTo(
        new FeedServer.Events("g0", 5, List.of(), 2));
  }
}
