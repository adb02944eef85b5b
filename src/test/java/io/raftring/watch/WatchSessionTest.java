package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.api.ErrorCode;
import io.raftring.watch.WatchPosition.At;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One client's watch against scripted feeds and a manual clock: Created once every group answered, events with the
 * position after each, another node's feed from the same position when one is not there or silent, COMPACTED when no
 * replica still holds the position, no pulling while the client's buffer is full, and a client that leaves events
 * untaken closed with where it stood.
 */
class WatchSessionTest {

  private static final Duration PROGRESS = Duration.ofSeconds(5);
  private static final WatchSettings SETTINGS = new WatchSettings(
      new GroupHistory.Limits(100, 1 << 20, Duration.ofMinutes(1)), PROGRESS, 10, 2, Duration.ofSeconds(30), 256,
      1 << 20, Duration.ofSeconds(60));

  private record Pull(String node, String group, long after, long pullId) {}

  private record Cancel(String node, String group, long pullId) {}

  /** Nodes "a" and "b" hold every group; what the session sends them is recorded, in order. */
  private static final class ScriptedFeeds implements WatchSession.Feeds {
    final List<Pull> pulls = new ArrayList<>();
    final List<Cancel> cancels = new ArrayList<>();
    final List<String> retries = new ArrayList<>();
    final Set<String> listed = new HashSet<>(Set.of("a", "b"));
    final List<Boolean> atOnceAsked = new ArrayList<>();

    @Override
    public List<String> nodesFor(String group) {
      return List.of("a", "b");
    }

    @Override
    public boolean pull(String node, String group, long after, long pullId, boolean atOnce) {
      if (!listed.contains(node)) {
        return false;
      }
      pulls.add(new Pull(node, group, after, pullId));
      atOnceAsked.add(atOnce);
      return true;
    }

    @Override
    public void cancel(String node, String group, long pullId) {
      cancels.add(new Cancel(node, group, pullId));
    }

    @Override
    public void retryLater(String group, Duration delay) {
      retries.add(group);
    }

    Pull take() {
      assertThat(pulls).as("pulls sent").isNotEmpty();
      return pulls.remove(0);
    }
  }

  private final ScriptedFeeds feeds = new ScriptedFeeds();
  private long now;

  private WatchSession session(List<String> groups, WatchPosition from) {
    WatchSession session = new WatchSession(SETTINGS, groups, from, feeds, () -> now);
    session.start();
    return session;
  }

  private static FeedServer.Events events(Pull pull, List<io.raftring.kv.KvEvent> events, long through) {
    return new FeedServer.Events(pull.group(), pull.pullId(), events, through);
  }

  private void passes(Duration d) {
    now += d.toNanos();
  }

  /** A watch of g0, started where its feed stands at {@code through}, its created line taken by the client. */
  private WatchSession started(long through) {
    WatchSession session = session(List.of("g0"), null);
    session.onReply(events(feeds.take(), List.of(), through));
    assertThat(session.next()).isInstanceOf(WatchEvent.Created.class);
    session.taken();
    return session;
  }

  /** Ticks a second short of {@code timeout} (the watch still runs) and a second past it; returns why it ended. */
  private WatchEndedException endsAfter(WatchSession session, Duration timeout) {
    passes(timeout.minusSeconds(1));
    session.tick();
    assertThat(session.ended()).isNull();
    passes(Duration.ofSeconds(2));
    session.tick();
    assertThat(session.ended()).isNotNull();
    return session.ended();
  }

  @Test
  void itStartsOnceEveryGroupAnsweredThenHandsOutEachEventWithThePositionAfterIt() {
    WatchSession session = session(List.of("g0", "g1"), null);
    Pull g0 = feeds.take();
    Pull g1 = feeds.take();
    assertThat(List.of(g0.after(), g1.after())).containsExactly(-1L, -1L);
    session.onReply(events(g0, List.of(), 5));
    assertThat(session.next()).isNull();
    session.onReply(events(g1, List.of(), 9));

    WatchPosition start = WatchPosition.of(Map.of("g0", At.of(5), "g1", At.of(9)));
    assertThat(session.next()).isEqualTo(new WatchEvent.Created(start));
    assertThat(session.next()).as("one event at a time").isNull();
    session.taken();
    Pull next0 = feeds.take();
    Pull next1 = feeds.take();
    Pull ofG1 = next0.group().equals("g1") ? next0 : next1;
    assertThat(ofG1.after()).isEqualTo(9);
    session.onReply(events(ofG1, List.of(put("k1", 10)), 12));

    WatchEvent.Changed changed = (WatchEvent.Changed) session.next();
    assertThat(changed.event().key()).isEqualTo("k1");
    assertThat(changed.position()).isEqualTo(WatchPosition.of(Map.of("g0", At.of(5), "g1", At.of(10))));
    assertThat(feeds.take()).as("g1 pulled again after the event").isEqualTo(new Pull("a", "g1", 12, 3));
  }

  @Test
  void aWatchThatEndsCancelsItsWaitingPullsAtTheirFeeds() {
    WatchSession session = session(List.of("g0", "g1"), null);
    session.onReply(events(feeds.take(), List.of(), 5));
    session.onReply(events(feeds.take(), List.of(), 9));
    Pull g0Waiting = feeds.take();
    Pull g1Waiting = feeds.take();

    session.close();

    assertThat(feeds.cancels).containsExactlyInAnyOrder(new Cancel("a", "g0", g0Waiting.pullId()),
        new Cancel("a", "g1", g1Waiting.pullId()));
    assertThat(feeds.pulls).isEmpty();
  }

  @Test
  void anAnswerToAPullNoLongerInFlightIsIgnored() {
    WatchSession session = session(List.of("g0"), null);
    Pull first = feeds.take();
    session.onReply(new FeedServer.NotHere("g0", first.pullId(), "no replica here"));
    Pull second = feeds.take();

    session.onReply(events(first, List.of(), 99));

    assertThat(session.next()).isNull();
    session.onReply(events(second, List.of(), 7));
    assertThat(session.next()).isEqualTo(new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(7)))));
  }

  @Test
  void aFeedThatIsNotThereOrSilentIsReplacedByAnotherFromTheSamePosition() {
    WatchPosition from = WatchPosition.of(Map.of("g0", At.of(40)));
    WatchSession session = session(List.of("g0"), from);
    Pull first = feeds.take();
    assertThat(first.node()).isEqualTo("a");
    session.onReply(new FeedServer.NotHere("g0", first.pullId(), "no replica here"));

    Pull second = feeds.take();
    assertThat(second.node()).isEqualTo("b");
    assertThat(second.after()).isEqualTo(40);
    // b stays silent past the progress interval and a grace: every node was tried, so after a short pause the next
    // pull goes back to a.
    passes(PROGRESS.plusSeconds(3));
    session.tick();
    assertThat(feeds.pulls).isEmpty();
    assertThat(feeds.retries).containsExactly("g0");
    session.retry("g0");
    Pull third = feeds.take();
    assertThat(third.node()).isEqualTo("a");
    assertThat(third.after()).isEqualTo(40);
    session.onReply(events(third, List.of(), 41));
    assertThat(session.next()).isEqualTo(new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(41)))));
  }

  @Test
  void aNodeThatListsNoFeedIsSkippedAndWithNoneListedTheSessionRetriesLater() {
    feeds.listed.remove("a");
    WatchSession session = session(List.of("g0"), null);
    assertThat(feeds.take().node()).isEqualTo("b");
    session.close();
    feeds.cancels.clear();

    feeds.listed.clear();
    WatchSession nowhere = session(List.of("g1"), null);
    assertThat(feeds.pulls).isEmpty();
    assertThat(feeds.retries).containsExactly("g1");
    feeds.listed.add("a");
    nowhere.retry("g1");
    assertThat(feeds.take()).isEqualTo(new Pull("a", "g1", -1, 1));
  }

  @Test
  void aWatchThatFindsNoReplicaOfAGroupInTimeEndsNotReady() {
    WatchSession session = session(List.of("g0"), null);
    feeds.take();

    WatchEndedException ended = endsAfter(session, Duration.ofSeconds(60));

    assertThat(ended.code()).isEqualTo(ErrorCode.NOT_READY);
    assertThat(ended.getMessage()).contains("g0");
    assertThat(session.next()).isNull();
  }

  @Test
  void aPositionNoReplicaStillHoldsEndsTheWatchAsCompactedBeforeItStarts() {
    WatchSession session = session(List.of("g0"), WatchPosition.of(Map.of("g0", At.of(3))));
    Pull first = feeds.take();
    session.onReply(new FeedServer.Compacted("g0", first.pullId(), 100));
    assertThat(session.ended()).isNull();
    Pull second = feeds.take();
    assertThat(second.node()).isEqualTo("b");
    session.onReply(new FeedServer.Compacted("g0", second.pullId(), 90));

    WatchEndedException ended = session.ended();
    assertThat(ended.code()).isEqualTo(ErrorCode.COMPACTED);
    assertThat(ended.position()).isNull();
  }

  @Test
  void resumingInsideARevisionDeliversOnlyWhatWasNotDelivered() {
    WatchSession session = session(List.of("g0"), WatchPosition.of(Map.of("g0", new At(5, 1))));
    Pull pull = feeds.take();
    assertThat(pull.after()).isEqualTo(5);
    session.onReply(events(pull, List.of(put("ka", 6), put("kb", 6)), 6));

    assertThat(session.next()).isInstanceOf(WatchEvent.Created.class);
    session.taken();
    WatchEvent.Changed only = (WatchEvent.Changed) session.next();
    assertThat(only.event().key()).isEqualTo("kb");
    assertThat(only.position().at("g0")).isEqualTo(At.of(6));
  }

  @Test
  void itStopsPullingWhileTheClientsBufferIsFullAndClosesAClientThatLeavesItUntaken() {
    WatchSession session = started(1);
    Pull pull = feeds.take();
    session.onReply(events(pull, List.of(put("k1", 2), put("k2", 3), put("k3", 4)), 4));
    WatchEvent first = session.next();

    // Two wait unsent (the buffer holds two): no more pulls until the client takes one.
    assertThat(feeds.pulls).isEmpty();
    WatchEndedException ended = endsAfter(session, Duration.ofSeconds(30));

    assertThat(ended.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(ended.position()).isEqualTo(first.position());
  }

  @Test
  void takingAnEventMakesRoomAndTheGroupIsPulledAgain() {
    WatchSession session = started(1);
    session.onReply(events(feeds.take(), List.of(put("k1", 2), put("k2", 3), put("k3", 4)), 4));
    session.next();
    session.taken();
    assertThat(session.next()).as("two were waiting, one was taken: the buffer is full again").isNotNull();
    assertThat(feeds.pulls).isEmpty();

    session.taken();

    assertThat(feeds.take()).isEqualTo(new Pull("a", "g0", 4, 3));
  }

  @Test
  void aQuietWatchHearsWhereTheGroupsAreAfterTheProgressInterval() {
    WatchSession session = started(1);
    Pull waiting = feeds.take();
    passes(PROGRESS);
    session.onReply(events(waiting, List.of(), 8));

    assertThat(session.next()).isEqualTo(new WatchEvent.Progress(WatchPosition.of(Map.of("g0", At.of(8)))));
    session.taken();
    passes(PROGRESS.multipliedBy(6));
    session.tick();
    assertThat(session.next()).as("a quiet cluster still hears, now and then")
        .isEqualTo(new WatchEvent.Progress(WatchPosition.of(Map.of("g0", At.of(8)))));
  }

  @Test
  void aGroupIsPulledAtOnceUntilItAnsweredSoThatAResumedWatchOfAQuietKeyStartsWithoutWaiting() {
    WatchSession session = session(List.of("g0"), WatchPosition.of(Map.of("g0", At.of(40))));
    Pull first = feeds.take();
    session.onReply(new FeedServer.NotHere("g0", first.pullId(), "no replica here"));
    Pull second = feeds.take();
    session.onReply(events(second, List.of(), 44));
    assertThat(session.next()).isEqualTo(new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(44)))));
    session.taken();

    assertThat(feeds.take().after()).isEqualTo(44);
    assertThat(feeds.atOnceAsked).containsExactly(true, true, false);
  }
}
