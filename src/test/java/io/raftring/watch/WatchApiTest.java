package io.raftring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.Done;
import akka.NotUsed;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.BoundedSourceQueue;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.SinkQueueWithCancel;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.watch.WatchPosition.At;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many watches on one stream, fixed at its start ({@link WatchApi#watchAll}) or created and cancelled while it runs
 * ({@link WatchApi#watchStream}), over single watches that a test scripts by their key.
 */
class WatchApiTest {

  private static final WatchPosition AT_3 = WatchPosition.of(Map.of("g0", At.of(3)));
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /**
   * Key "open": created, then runs until cancelled; "ticks": created, then progress as fast as it is read; "ends":
   * created, then ended by the server; others fail so.
   */
  private static final class ScriptedWatches implements WatchApi {
    final List<CompletionStage<Done>> terminations = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Source<WatchEvent, NotUsed> watch(WatchFilter filter, WatchPosition from) {
      return switch (filter.text()) {
        case "open" -> Source.<WatchEvent>single(new WatchEvent.Created(AT_3)).concat(Source.never())
            .watchTermination((notUsed, done) -> {
              terminations.add(done);
              return notUsed;
            });
        case "ticks" -> Source.<WatchEvent>single(new WatchEvent.Created(AT_3))
            .concat(Source.repeat(new WatchEvent.Progress(AT_3)))
            .watchTermination((notUsed, done) -> {
              terminations.add(done);
              return notUsed;
            });
        // Ended where a second element would come (a failed source concatenated would fail ahead of the first).
        case "ends" -> Source.<WatchEvent>from(List.of(new WatchEvent.Created(AT_3), new WatchEvent.Progress(AT_3)))
            .map(event -> {
              if (event instanceof WatchEvent.Progress) {
                throw new WatchEndedException(ErrorCode.OVERLOADED, "read too slowly", AT_3);
              }
              return event;
            });
        case "bad" -> Source.failed(new RaftRingException(ErrorCode.BAD_REQUEST, "position of another watch"));
        default -> Source.failed(new IllegalStateException("broken"));
      };
    }
  }

  private static WatchSpec key(String key) {
    return new WatchSpec(WatchFilter.key(key), null);
  }

  private static List<WatchItem> take(Source<WatchItem, NotUsed> source, int items) throws Exception {
    return source.take(items).runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachItemIsTaggedWithItsWatchAndAWatchThatFailsEndsAloneWithItsCode() throws Exception {
    ScriptedWatches watches = new ScriptedWatches();

    List<WatchItem> items = take(watches.watchAll(List.of(key("open"), key("bad"), key("broken"))), 3);

    assertThat(items).contains(new WatchItem.Event(0, new WatchEvent.Created(AT_3)));
    WatchItem.End bad = (WatchItem.End) items.stream().filter(i -> i.watch() == 1).findFirst().orElseThrow();
    assertThat(bad.cause().code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(bad.cause().getMessage()).isEqualTo("position of another watch");
    assertThat(bad.cause().position()).isNull();
    WatchItem.End broken = (WatchItem.End) items.stream().filter(i -> i.watch() == 2).findFirst().orElseThrow();
    assertThat(broken.cause().code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void theStreamCompletesOnceEveryWatchHasEndedEachEndKeepingItsPosition() throws Exception {
    List<WatchItem> items = new ScriptedWatches().watchAll(List.of(key("ends"), key("bad")))
        .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(items).hasSize(3);
    List<WatchItem> first = items.stream().filter(i -> i.watch() == 0).toList();
    assertThat(first.get(0)).isEqualTo(new WatchItem.Event(0, new WatchEvent.Created(AT_3)));
    WatchEndedException ended = ((WatchItem.End) first.get(1)).cause();
    assertThat(ended.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(ended.position()).isEqualTo(AT_3);
  }

  @Test
  void cancellingTheStreamEndsEveryWatchOnIt() throws Exception {
    ScriptedWatches watches = new ScriptedWatches();

    take(watches.watchAll(List.of(key("open"), key("open"), key("open"))), 3);

    assertThat(watches.terminations).hasSize(3);
    CompletableFuture.allOf(watches.terminations.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void noWatchesOrMoreThanAStreamCarriesAreRefused() {
    ScriptedWatches watches = new ScriptedWatches();
    for (int count : List.of(0, WatchApi.MAX_WATCHES_PER_STREAM + 1)) {
      List<WatchSpec> specs = Collections.nCopies(count, key("open"));
      assertThatThrownBy(() -> watches.watchAll(specs).runWith(Sink.seq(), kit.system()).toCompletableFuture()
          .get(10, TimeUnit.SECONDS))
          .as("%d watches", count)
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(RaftRingException.class)
          .hasMessageContaining("1 to " + WatchApi.MAX_WATCHES_PER_STREAM);
    }
    assertThat(watches.terminations).isEmpty();
  }

  /** An interactive stream under test: commands in through {@link #send}, its elements out through {@link #next}. */
  private static final class Interactive {
    final BoundedSourceQueue<WatchMux.Command> commands;
    final SinkQueueWithCancel<WatchItem> items;

    Interactive(WatchApi watches) {
      var queues = Source.<WatchMux.Command>queue(2 * WatchApi.MAX_WATCHES_PER_STREAM)
          .preMaterialize(kit.system());
      this.commands = queues.first();
      this.items = watches.watchStream(queues.second()).runWith(Sink.queue(), kit.system());
    }

    void send(WatchMux.Command command) {
      assertThat(commands.offer(command).isEnqueued()).isTrue();
    }

    /** The next element, or empty once the stream completed. */
    Optional<WatchItem> next() throws Exception {
      return items.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    WatchItem nextItem() throws Exception {
      return next().orElseThrow();
    }
  }

  /** A stream over {@code watches} on which watch {@code id} (key "open") is created. */
  private static Interactive withOpenWatch(ScriptedWatches watches, int id) throws Exception {
    Interactive stream = new Interactive(watches);
    stream.send(create(id, "open"));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Event(id, new WatchEvent.Created(AT_3)));
    return stream;
  }

  private static WatchMux.Create create(Integer id, String key) {
    return new WatchMux.Create(id, key(key));
  }

  @Test
  void watchesCreatedOnARunningStreamAreTaggedWithTheirIdsGivenOrChosen() throws Exception {
    Interactive stream = new Interactive(new ScriptedWatches());

    stream.send(create(null, "open"));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Event(0, new WatchEvent.Created(AT_3)));
    stream.send(create(7, "open"));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Event(7, new WatchEvent.Created(AT_3)));
    stream.send(create(null, "bad"));
    WatchItem.End bad = (WatchItem.End) stream.nextItem();
    assertThat(bad.watch()).isEqualTo(1);
    assertThat(bad.cause().code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void aCancelIsAnsweredAndEndsTheWatchAndItsIdMayBeUsedAgain() throws Exception {
    ScriptedWatches watches = new ScriptedWatches();
    Interactive stream = withOpenWatch(watches, 4);

    stream.send(new WatchMux.Cancel(4));

    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Canceled(4));
    watches.terminations.get(0).toCompletableFuture().get(10, TimeUnit.SECONDS);
    stream.send(create(4, "open"));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Event(4, new WatchEvent.Created(AT_3)));
  }

  @Test
  void aCancelledWatchSendsNothingMoreEvenWhenItsIdIsUsedAgain() throws Exception {
    Interactive stream = new Interactive(new ScriptedWatches());
    stream.send(create(0, "ticks"));
    for (int i = 0; i < 5; i++) {
      assertThat(stream.nextItem().watch()).isZero();
    }

    stream.send(new WatchMux.Cancel(0));
    stream.send(create(0, "open"));
    stream.send(create(1, "open"));

    // Ticks still on their way when the cancel came may precede its answer; none follows it but the new watch 0's.
    List<WatchItem> afterCancel = new ArrayList<>();
    WatchItem item = stream.nextItem();
    while (!(item instanceof WatchItem.Canceled)) {
      assertThat(item).isInstanceOf(WatchItem.Event.class);
      item = stream.nextItem();
    }
    while (afterCancel.size() < 2) {
      afterCancel.add(stream.nextItem());
    }
    assertThat(afterCancel).containsExactlyInAnyOrder(new WatchItem.Event(0, new WatchEvent.Created(AT_3)),
        new WatchItem.Event(1, new WatchEvent.Created(AT_3)));
  }

  @Test
  void commandsThatChangeNothingAreRefusedAndTheStreamRunsOn() throws Exception {
    ScriptedWatches watches = new ScriptedWatches();
    Interactive stream = withOpenWatch(watches, 2);

    stream.send(create(2, "open"));
    assertThat(((WatchItem.Refused) stream.nextItem()).message()).contains("watch 2 is open");
    stream.send(new WatchMux.Cancel(3));
    assertThat(((WatchItem.Refused) stream.nextItem()).message()).contains("no watch 3");
    stream.send(new WatchMux.Invalid("not JSON"));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Refused("not JSON"));

    assertThat(watches.terminations).as("the first watch 2 only").hasSize(1);
    stream.send(new WatchMux.Cancel(2));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Canceled(2));
  }

  @Test
  void aCreateBeyondTheStreamsLimitEndsAloneWithOverloaded() throws Exception {
    Interactive stream = new Interactive(new ScriptedWatches());
    for (int i = 0; i <= WatchApi.MAX_WATCHES_PER_STREAM; i++) {
      stream.send(create(null, "open"));
    }

    List<WatchItem> items = new ArrayList<>();
    for (int i = 0; i <= WatchApi.MAX_WATCHES_PER_STREAM; i++) {
      items.add(stream.nextItem());
    }

    assertThat(items).filteredOn(WatchItem.Event.class::isInstance).hasSize(WatchApi.MAX_WATCHES_PER_STREAM);
    WatchItem.End full = (WatchItem.End) items.stream().filter(WatchItem.End.class::isInstance).findFirst()
        .orElseThrow();
    assertThat(full.watch()).isEqualTo(WatchApi.MAX_WATCHES_PER_STREAM);
    assertThat(full.cause().code()).isEqualTo(ErrorCode.OVERLOADED);
    stream.send(new WatchMux.Cancel(0));
    assertThat(stream.nextItem()).isEqualTo(new WatchItem.Canceled(0));
    stream.send(create(null, "open"));
    assertThat(stream.nextItem()).as("room again").isInstanceOf(WatchItem.Event.class);
  }

  @Test
  void theEndOfTheCommandsEndsEveryWatchAndTheStream() throws Exception {
    ScriptedWatches watches = new ScriptedWatches();
    Interactive stream = new Interactive(watches);
    stream.send(create(null, "open"));
    stream.send(create(null, "ticks"));
    stream.nextItem();
    stream.nextItem();

    stream.commands.complete();

    Optional<WatchItem> item = stream.next();
    while (item.isPresent()) {
      item = stream.next();
    }
    CompletableFuture.allOf(watches.terminations.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(watches.terminations).hasSize(2);
  }
}
