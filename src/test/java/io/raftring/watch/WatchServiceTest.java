package io.raftring.watch;

import static io.raftring.watch.TestEvents.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.SinkQueueWithCancel;
import io.raftring.api.ErrorCode;
import io.raftring.kv.KvListener;
import io.raftring.watch.WatchPosition.At;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches as a node serves them: each a stream whose session pulls from a real feed over this node's histories.
 * Node "gone" is listed first for every group but has no feed, so each watch finds its way to node "here".
 */
class WatchServiceTest {

  private static final WatchSettings SETTINGS = new WatchSettings(
      new GroupHistory.Limits(100, 1 << 20, Duration.ofMinutes(1)), Duration.ofSeconds(5), 2, 16,
      Duration.ofSeconds(30), 256, 1 << 20, Duration.ofSeconds(60));
  private static ActorTestKit kit;

  private NodeHistories histories;
  private KvListener g0;
  private KvListener g1;
  private WatchService service;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void node() {
    histories = new NodeHistories(SETTINGS.history(), System::nanoTime);
    g0 = histories.listenerFor("g0");
    g1 = histories.listenerFor("g1");
    g0.applied(3, List.of(put("k0", 3)), List.of());
    g1.applied(7, List.of(put("k1", 7)), List.of());
    ActorRef<FeedServer.Command> feed = kit.spawn(FeedServer.create(histories, SETTINGS.progressInterval()));
    service = new WatchService(SETTINGS, List.of("g0", "g1"), key -> key.startsWith("k0") ? "g0" : "g1",
        key -> key, group -> List.of("gone", "here"), node -> node.equals("here") ? feed : null);
  }

  private SinkQueueWithCancel<WatchEvent> watch(WatchFilter filter, WatchPosition from) {
    return service.watch(filter, from).runWith(Sink.queue(), kit.system());
  }

  private static WatchEvent next(SinkQueueWithCancel<WatchEvent> watch) throws Exception {
    Optional<WatchEvent> next = watch.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(next).as("the watch ended").isPresent();
    return next.get();
  }

  @Test
  void aPrefixWatchStartsWhereEveryGroupStandsThenStreamsEachChangeOnce() throws Exception {
    SinkQueueWithCancel<WatchEvent> watch = watch(WatchFilter.prefix("k"), null);

    assertThat(next(watch)).isEqualTo(
        new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(3), "g1", At.of(7)))));
    assertThat(service.activeWatches()).isEqualTo(1);
    g1.applied(8, List.of(put("k1", 8)), List.of());
    WatchEvent.Changed first = (WatchEvent.Changed) next(watch);
    assertThat(first.event().key()).isEqualTo("k1");
    assertThat(first.position()).isEqualTo(WatchPosition.of(Map.of("g0", At.of(3), "g1", At.of(8))));
    g0.applied(4, List.of(put("k0", 4), put("k0b", 4)), List.of());
    assertThat(((WatchEvent.Changed) next(watch)).event().key()).isEqualTo("k0");
    WatchEvent.Changed third = (WatchEvent.Changed) next(watch);
    assertThat(third.event().key()).isEqualTo("k0b");
    assertThat(third.position()).isEqualTo(WatchPosition.of(Map.of("g0", At.of(4), "g1", At.of(8))));
    assertThat(service.eventsSent()).isEqualTo(3);

    watch.cancel();
    awaitActive(0);
  }

  @Test
  void aResumedWatchStartsWithWhatItMissed() throws Exception {
    g0.applied(4, List.of(put("k0", 4)), List.of());
    SinkQueueWithCancel<WatchEvent> watch = watch(WatchFilter.key("k0"), WatchPosition.of(Map.of("g0", At.of(3))));

    assertThat(next(watch)).isInstanceOf(WatchEvent.Created.class);
    WatchEvent.Changed missed = (WatchEvent.Changed) next(watch);
    assertThat(missed.event().revision()).isEqualTo(4);
    watch.cancel();
  }

  @Test
  void aWatchResumedOnAQuietKeyStartsAtOnceNotAfterTheProgressInterval() throws Exception {
    WatchSettings slowProgress = new WatchSettings(SETTINGS.history(), Duration.ofMinutes(5), 2, 16,
        Duration.ofSeconds(30), 256, 1 << 20, Duration.ofMinutes(5));
    ActorRef<FeedServer.Command> feed = kit.spawn(FeedServer.create(histories, slowProgress.progressInterval()));
    WatchService patient = new WatchService(slowProgress, List.of("g0", "g1"), key -> "g0", key -> key,
        group -> List.of("here"), node -> feed);

    SinkQueueWithCancel<WatchEvent> watch = patient.watch(WatchFilter.key("k0"),
        WatchPosition.of(Map.of("g0", At.of(3)))).runWith(Sink.queue(), kit.system());

    assertThat(next(watch)).isEqualTo(new WatchEvent.Created(WatchPosition.of(Map.of("g0", At.of(3)))));
    watch.cancel();
  }

  @Test
  void aNodeServesAtMostMaxWatchersAndAClosedWatchFreesItsPlace() throws Exception {
    SinkQueueWithCancel<WatchEvent> one = watch(WatchFilter.key("k0"), null);
    SinkQueueWithCancel<WatchEvent> two = watch(WatchFilter.key("k1"), null);
    next(one);
    next(two);

    SinkQueueWithCancel<WatchEvent> three = watch(WatchFilter.key("k0"), null);
    assertThatThrownBy(() -> three.pull().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(WatchEndedException.class,
            ended -> assertThat(ended.code()).isEqualTo(ErrorCode.OVERLOADED));
    assertThat(service.activeWatches()).isEqualTo(2);

    one.cancel();
    awaitActive(1);
    SinkQueueWithCancel<WatchEvent> four = watch(WatchFilter.key("k0"), null);
    assertThat(next(four)).isInstanceOf(WatchEvent.Created.class);
    two.cancel();
    four.cancel();
    awaitActive(0);
  }

  @Test
  void aPositionOfAnotherWatchIsRefusedBeforeAnythingStarts() {
    SinkQueueWithCancel<WatchEvent> watch = watch(WatchFilter.prefix("k"), WatchPosition.of(Map.of("g0", At.of(3))));

    assertThatThrownBy(() -> watch.pull().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("only resumes the watch it came from");
    assertThat(service.activeWatches()).isZero();
  }

  /** The count drops when the stage has stopped, just after its stream's cancel: a bounded wait for it. */
  private void awaitActive(int expected) {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10),
        () -> assertThat(service.activeWatches()).isEqualTo(expected));
  }
}
