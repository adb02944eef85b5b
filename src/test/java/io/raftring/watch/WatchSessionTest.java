package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.raftring.api.ErrorCode;
import io.raftring.kv.KvEvent;
import io.raftring.watch.WatchPosition.At;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One client's watch against feeds played by probes, on ManualTime: Created once every group answered, events with
 * the position after each, another node's feed from the same position when one is not there or silent, COMPACTED when
 * no replica still holds the position, no pulling while the client's buffer is full, and a client that leaves events
 * unread closed with where it stood.
 */
class WatchSessionTest {

  private static final Duration PROGRESS = Duration.ofSeconds(5);
  private static final WatchSettings SETTINGS = new WatchSettings(
      new GroupHistory.Limits(100, 1 << 20, Duration.ofMinutes(1)), PROGRESS, 10, 2, Duration.ofSeconds(30), 256,
      1 << 20, Duration.ofSeconds(60));

  private static ActorTestKit kit;
  private static ManualTime time;
  private final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(ManualTime.config());
    time = ManualTime.get(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Nodes "a" and "b" hold every group; their feeds are probes. */
  private final TestProbe<FeedServer.Command> feedA = kit.createTestProbe();
  private final TestProbe<FeedServer.Command> feedB = kit.createTestProbe();
  private final TestProbe<WatchSession.Out> out = kit.createTestProbe();

  private ActorRef<WatchSession.Command> session(List<String> groups, WatchPosition from) {
    WatchSession.Sources sources = new WatchSession.Sources() {
      @Override
      public List<String> nodesFor(String group) {
        return List.of("a", "b");
      }

      @Override
      public ActorRef<FeedServer.Command> feedOf(String node) {
        return node.equals("a") ? feedA.getRef() : feedB.getRef();
      }
    };
    ActorRef<WatchSession.Command> session = kit.spawn(
        WatchSession.create(SETTINGS, WatchFilter.prefix("k"), groups, from, sources, clock::get));
    session.tell(new WatchSession.Attached(out.getRef()));
    return session;
  }

  private static FeedServer.Pull pullOf(TestProbe<FeedServer.Command> feed) {
    return (FeedServer.Pull) feed.expectMessageClass(FeedServer.Pull.class);
  }

  /** The next pull to {@code feed}, letting time pass in small steps for timers the session sets meanwhile. */
  private FeedServer.Pull pullWhileTimePasses(TestProbe<FeedServer.Command> feed) {
    for (int step = 0; step < 30; step++) {
      passes(Duration.ofMillis(100));
      try {
        return (FeedServer.Pull) feed.expectMessageClass(FeedServer.Pull.class, Duration.ofMillis(100));
      } catch (AssertionError notYet) {
        // the session has not set its timer yet, or it is not due
      }
    }
    throw new AssertionError("no pull within 3 s of manual time");
  }

  private WatchEvent emitted() {
    return ((WatchSession.Emit) out.expectMessageClass(WatchSession.Emit.class)).event();
  }

  private void passes(Duration d) {
    clock.addAndGet(d.toNanos());
    time.timePasses(d);
  }

  @Test
  void itStartsOnceEveryGroupAnsweredThenStreamsEachEventWithThePositionAfterIt() {
    ActorRef<WatchSession.Command> session = session(List.of("g0", "g1"), null);
    FeedServer.Pull g0 = pullOf(feedA);
    FeedServer.Pull g1 = pullOf(feedA);
    assertThat(List.of(g0.after(), g1.after())).containsExactly(-1L, -1L);
    g0.replyTo().tell(new FeedServer.Events(g0.group(), g0.pullId(), List.of(), 5));
    out.expectNoMessage(Duration.ofMillis(20));
    g1.replyTo().tell(new FeedServer.Events(g1.group(), g1.pullId(), List.of(), 9));

    WatchPosition start = WatchPosition.of(Map.of("g0", At.of(5), "g1", At.of(9)));
    assertThat(emitted()).isEqualTo(new WatchEvent.Created(start));
    session.tell(WatchSession.Ack.INSTANCE);
    FeedServer.Pull next0 = pullOf(feedA);
    FeedServer.Pull next1 = pullOf(feedA);
    FeedServer.Pull ofG1 = next0.group().equals("g1") ? next0 : next1;
    assertThat(ofG1.after()).isEqualTo(9);
    ofG1.replyTo().tell(new FeedServer.Events("g1", ofG1.pullId(), List.of(put("k1", 10)), 12));

    WatchEvent.Changed changed = (WatchEvent.Changed) emitted();
    assertThat(changed.event().key()).isEqualTo("k1");
    assertThat(changed.position()).isEqualTo(WatchPosition.of(Map.of("g0", At.of(5), "g1", At.of(10))));
  }

  @Test
  void aWatchThatEndsCancelsItsWaitingPullsAtTheirFeeds() {
    ActorRef<WatchSession.Command> session = session(List.of("g0", "g1"), null);
    FeedServer.Pull g0 = pullOf(feedA);
    FeedServer.Pull g1 = pullOf(feedA);
    g0.replyTo().tell(new FeedServer.Events(g0.group(), g0.pullId(), List.of(), 5));
    g1.replyTo().tell(new FeedServer.Events(g1.group(), g1.pullId(), List.of(), 9));
    out.expectMessageClass(WatchSession.Emit.class);
    FeedServer.Pull g0Waiting = pullOf(feedA);
    FeedServer.Pull g1Waiting = pullOf(feedA);

    session.tell(WatchSession.Detached.INSTANCE);

    assertThat(List.of(feedA.expectMessageClass(FeedServer.Cancel.class),
        feedA.expectMessageClass(FeedServer.Cancel.class))).containsExactlyInAnyOrder(
        new FeedServer.Cancel("g0", g0Waiting.pullId(), g0Waiting.replyTo()),
        new FeedServer.Cancel("g1", g1Waiting.pullId(), g1Waiting.replyTo()));
    // Terminated comes after PostStop has run, so whatever it sent is already queued: nothing went to the other feed.
    out.expectTerminated(session);
    feedB.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aFeedThatIsNotThereOrSilentIsReplacedByAnotherFromTheSamePosition() {
    WatchPosition from = WatchPosition.of(Map.of("g0", At.of(40)));
    session(List.of("g0"), from);
    FeedServer.Pull first = pullOf(feedA);
    first.replyTo().tell(new FeedServer.NotHere("g0", first.pullId(), "no replica here"));

    FeedServer.Pull second = pullOf(feedB);
    assertThat(second.after()).isEqualTo(40);
    // b stays silent past the progress interval and a grace: every node was tried, so after a short pause the next
    // pull goes back to a.
    passes(PROGRESS.plusSeconds(3));
    FeedServer.Pull third = pullWhileTimePasses(feedA);
    assertThat(third.after()).isEqualTo(40);
    third.replyTo().tell(new FeedServer.Events("g0", third.pullId(), List.of(), 41));
    assertThat(emitted()).isEqualTo(new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(41)))));
  }

  @Test
  void aWatchThatFindsNoReplicaOfAGroupInTimeEndsNotReady() {
    session(List.of("g0"), null);
    pullOf(feedA);

    passes(Duration.ofSeconds(61));

    WatchEndedException ended = ((WatchSession.Fail) out.expectMessageClass(WatchSession.Fail.class)).cause();
    assertThat(ended.code()).isEqualTo(ErrorCode.NOT_READY);
    assertThat(ended.getMessage()).contains("g0");
  }

  @Test
  void aPositionNoReplicaStillHoldsEndsTheWatchAsCompactedBeforeItStarts() {
    session(List.of("g0"), WatchPosition.of(Map.of("g0", At.of(3))));
    FeedServer.Pull first = pullOf(feedA);
    first.replyTo().tell(new FeedServer.Compacted("g0", first.pullId(), 100));
    FeedServer.Pull second = pullOf(feedB);
    second.replyTo().tell(new FeedServer.Compacted("g0", second.pullId(), 90));

    WatchEndedException ended = ((WatchSession.Fail) out.expectMessageClass(WatchSession.Fail.class)).cause();
    assertThat(ended.code()).isEqualTo(ErrorCode.COMPACTED);
    assertThat(ended.position()).isNull();
  }

  @Test
  void resumingInsideARevisionDeliversOnlyWhatWasNotDelivered() {
    ActorRef<WatchSession.Command> session = session(List.of("g0"), WatchPosition.of(Map.of("g0", new At(5, 1))));
    FeedServer.Pull pull = pullOf(feedA);
    assertThat(pull.after()).isEqualTo(5);
    pull.replyTo().tell(new FeedServer.Events("g0", pull.pullId(), List.of(put("ka", 6), put("kb", 6)), 6));

    assertThat(emitted()).isInstanceOf(WatchEvent.Created.class);
    session.tell(WatchSession.Ack.INSTANCE);
    WatchEvent.Changed only = (WatchEvent.Changed) emitted();
    assertThat(only.event().key()).isEqualTo("kb");
    assertThat(only.position().at("g0")).isEqualTo(At.of(6));
  }

  @Test
  void itStopsPullingWhileTheClientsBufferIsFullAndClosesAClientThatLeavesItUnread() {
    ActorRef<WatchSession.Command> session = session(List.of("g0"), null);
    FeedServer.Pull start = pullOf(feedA);
    start.replyTo().tell(new FeedServer.Events("g0", start.pullId(), List.of(), 1));
    assertThat(emitted()).isInstanceOf(WatchEvent.Created.class);
    session.tell(WatchSession.Ack.INSTANCE);
    FeedServer.Pull pull = pullOf(feedA);
    pull.replyTo().tell(new FeedServer.Events("g0", pull.pullId(), List.of(put("k1", 2), put("k2", 3),
        put("k3", 4)), 4));
    WatchEvent first = emitted();

    // Two wait unsent (the buffer holds two): no more pulls until the client reads.
    feedA.expectNoMessage(Duration.ofMillis(50));
    passes(Duration.ofSeconds(31));

    WatchEndedException ended = ((WatchSession.Fail) out.expectMessageClass(WatchSession.Fail.class)).cause();
    assertThat(ended.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(ended.position()).isEqualTo(first.position());
  }
}
