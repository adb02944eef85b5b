package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

  private static final long MS = 1_000_000L;

  private static OperationSource puts() {
    return new OperationSource(Workload.PUT, 0, KeyChooser.uniform(10), "k-", Value.pool(2, 8, 1));
  }

  /** A target that answers at once, at whatever the clock says. */
  private static final KvTarget INSTANT = (slot, kind, key, value) -> CompletableFuture.completedFuture(Outcome.OK);

  @Test
  void theScheduleSpacesIntendedStartsByOneOverTheRate() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 4.0);

    assertThat(schedule.intendedStartNanos(0)).isEqualTo(1_000);
    assertThat(schedule.intendedStartNanos(1)).isEqualTo(250_001_000L);
    assertThat(schedule.intendedStartNanos(4)).isEqualTo(1_000_001_000L);
    assertThat(schedule.latencyNanos(1, 300_001_000L)).isEqualTo(50_000_000L);
    assertThat(schedule.requestsBefore(1_000_001_000L)).isEqualTo(4);
    assertThat(schedule.requestsBefore(1_000_001_001L)).isEqualTo(5);
  }

  @Test
  void latencyRunsFromTheIntendedStartSoAStallShowsInEveryRequestBehindIt() throws Exception {
    FakeClock clock = new FakeClock(0);
    clock.pauseOnceAt(10 * MS, 5 * MS); // the tool is stalled 5 ms when request 10 is due
    ResultCollector collector = new ResultCollector(clock, 0, 20 * MS);
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000.0);

    DriverStats stats =
        new OpenLoop(INSTANT, puts(), collector, clock, schedule, 100, 20 * MS, 1000 * MS, 1, OpenLoop.DIRECT).run(Duration.ZERO);
    collector.finish();

    assertThat(stats.sent()).isEqualTo(20);
    Histogram micros = collector.totalHistogram();
    assertThat(micros.getTotalCount()).isEqualTo(20);
    // Requests 10..14 were meant to start at 10..14 ms and went out at 15 ms: 5, 4, 3, 2 and 1 ms late.
    assertThat(micros.getMaxValue()).isBetween(4_990L, 5_010L);
    assertThat(micros.getCountBetweenValues(900, 5_100)).isEqualTo(5);
    assertThat(micros.getCountAtValue(0)).isEqualTo(15);
    assertThat(collector.errorCount()).isZero();
  }

  @Test
  void requestsFindingTheOutstandingBoundFullAreCountedAsNotStarted() throws Exception {
    FakeClock clock = new FakeClock(0);
    ResultCollector collector = new ResultCollector(clock, 0, 10 * MS);
    List<CompletableFuture<Outcome>> pending = new ArrayList<>();
    KvTarget neverAnswers = (slot, kind, key, value) -> {
      CompletableFuture<Outcome> answer = new CompletableFuture<>();
      pending.add(answer);
      return answer;
    };
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000.0);

    DriverStats stats =
        new OpenLoop(neverAnswers, puts(), collector, clock, schedule, 3, 10 * MS, 1000 * MS, 1, OpenLoop.DIRECT).run(Duration.ZERO);

    assertThat(stats.sent()).isEqualTo(3);
    assertThat(stats.abandoned()).isEqualTo(3);
    assertThat(collector.errorsByCode()).containsEntry(ErrorClassifier.NOT_STARTED, 7L);

    // The three that went out answer at 50 ms; each is timed from its own intended start (0, 1 and 2 ms).
    clock.advance(50 * MS - clock.nanoTime());
    pending.forEach(answer -> answer.complete(Outcome.OK));
    collector.finish();
    Histogram micros = collector.totalHistogram();
    assertThat(micros.getTotalCount()).isEqualTo(3);
    assertThat(micros.getMaxValue()).isBetween(49_900L, 50_100L);
    assertThat(micros.getMinValue()).isBetween(47_900L, 48_100L);
  }

  @Test
  void fallingFurtherBehindThanTheMaximumLagEndsTheRunAndCountsTheRestAsNotStarted() throws Exception {
    FakeClock clock = new FakeClock(0);
    clock.pauseOnceAt(5 * MS, 100 * MS);
    ResultCollector collector = new ResultCollector(clock, 0, 20 * MS);
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000.0);

    DriverStats stats =
        new OpenLoop(INSTANT, puts(), collector, clock, schedule, 100, 20 * MS, 10 * MS, 1, OpenLoop.DIRECT).run(Duration.ZERO);

    assertThat(stats.sent()).isEqualTo(5);
    assertThat(collector.errorsByCode()).containsEntry(ErrorClassifier.NOT_STARTED, 15L);
  }

  @Test
  void requestsMeantToStartDuringWarmUpAreNotMeasured() throws Exception {
    FakeClock clock = new FakeClock(0);
    ResultCollector collector = new ResultCollector(clock, 4 * MS, 10 * MS);
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1000.0);

    new OpenLoop(INSTANT, puts(), collector, clock, schedule, 100, 10 * MS, 1000 * MS, 1, OpenLoop.DIRECT).run(Duration.ZERO);
    collector.finish();

    assertThat(collector.warmupOperations()).isEqualTo(4);
    assertThat(collector.totalHistogram().getTotalCount()).isEqualTo(6);
  }

  @Test
  void aTimelinePointPerSecondAndATailShorterThanHalfASecondJoinsTheLastOne() {
    FakeClock clock = new FakeClock(0);
    ResultCollector collector = new ResultCollector(clock, 0, 2_000 * MS);
    collector.record(0, 2 * MS, Outcome.OK);
    clock.advance(1_000 * MS);
    assertThat(collector.tick().opsPerSecond()).isEqualTo(1.0);
    collector.record(1_500 * MS, 1_501 * MS, Outcome.OK);
    collector.record(1_600 * MS, 1_600 * MS, Outcome.error("HTTP 503 NO_QUORUM"));
    clock.advance(1_000 * MS);
    assertThat(collector.tick().errors()).isEqualTo(1);
    collector.record(1_900 * MS, 2_030 * MS, Outcome.OK); // answered during the drain
    clock.advance(300 * MS);

    TimelinePoint last = collector.finish();

    assertThat(collector.timeline()).hasSize(2);
    assertThat(last.second()).isEqualTo(2.0);
    assertThat(last.maxMillis()).isBetween(129.0, 131.0);
    assertThat(collector.totalHistogram().getTotalCount()).isEqualTo(3);
    assertThat(collector.errorsByCode()).containsExactly(java.util.Map.entry("HTTP 503 NO_QUORUM", 1L));
  }

  @Test
  void theClosedLoopStopsAtTheOperationBoundEvenWhenTimeStandsStill() throws Exception {
    FakeClock clock = new FakeClock(0);
    ResultCollector collector = new ResultCollector(clock, 0, Long.MAX_VALUE);

    DriverStats stats =
        new ClosedLoop(INSTANT, puts(), collector, clock, 4, Long.MAX_VALUE, 100, 1).run(Duration.ofSeconds(10));

    assertThat(stats.sent()).isEqualTo(100);
    assertThat(stats.abandoned()).isZero();
    assertThat(collector.okCount()).isEqualTo(100);
  }
}
