package io.raftring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.Done;
import akka.NotUsed;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.watch.WatchPosition.At;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many watches on one stream ({@link WatchApi#watchAll}) over single watches that a test scripts by their key. */
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

  /** Key "open": created, then runs until cancelled; "ends": created, then ended by the server; others fail so. */
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
}
