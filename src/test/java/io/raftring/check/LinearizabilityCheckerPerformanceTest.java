package io.raftring.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.raftring.check.CheckResult.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Histories the size of a real test run check in seconds. The bound is deliberately generous so a busy machine does
 * not fail the build; the measured time is printed for whoever wants to watch it.
 */
class LinearizabilityCheckerPerformanceTest {

  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @Test
  void fiveThousandConcurrentOperationsOnOneKeyWithUnknownOutcomesCheckInSeconds() {
    History history = new RegisterSimulation(7).generate("k", 5, 5_000, 6);
    assertThat(history.operations()).filteredOn(op -> op.outcome() == Outcome.INFO).hasSize(6);

    CheckResult result = timed("5,000 ops, 5 processes, 6 info writes, linearizable", () ->
        new LinearizabilityChecker().check(history));

    assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void tenProcessesWithFiftyTimedOutWritesThatTookEffectLateStillCheckInSeconds() {
    History history = new RegisterSimulation(7).generate("k", 10, 5_000, 50);

    CheckResult result = timed("5,000 ops, 10 processes, 50 info writes", () ->
        new LinearizabilityChecker().check(history));

    assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void aStaleReadHiddenInFiveThousandOperationsIsFoundInSeconds() {
    History history = withStaleRead(new RegisterSimulation(11).generate("k", 5, 5_000, 6));

    CheckResult result = timed("5,000 ops with one stale read", () -> new LinearizabilityChecker().check(history));

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    Operation culprit = result.violations().get(0).culprit();
    assertThat(culprit.f()).isEqualTo(OpKind.READ);
    assertThat(culprit.value()).startsWith("v");
  }

  @Test
  void manySeedsOfSimulatedRegistersAreAllLinearizable() {
    timed("200 histories x 300 ops", () -> {
      for (long seed = 0; seed < 200; seed++) {
        History history = new RegisterSimulation(seed).generate("k", 4, 300, 4);
        assertThat(new LinearizabilityChecker().check(history).verdict()).as("seed %d", seed)
            .isEqualTo(Verdict.LINEARIZABLE);
      }
      return null;
    });
  }

  /**
   * Replaces a read in the middle with one returning the value of a write W1 that had been overwritten by a write W2
   * invoked after W1 completed and completed before the read began. Values are unique, so no order can explain it.
   */
  private static History withStaleRead(History history) {
    List<Operation> ops = history.operations();
    for (int r = ops.size() / 2; r < ops.size(); r++) {
      Operation read = ops.get(r);
      if (read.f() != OpKind.READ || read.outcome() != Outcome.OK) {
        continue;
      }
      Operation overwrite = lastOkWriteCompletedBefore(ops, read.invokeNanos());
      Operation stale = overwrite == null ? null : lastOkWriteCompletedBefore(ops, overwrite.invokeNanos());
      if (stale != null) {
        List<Operation> changed = new ArrayList<>(ops);
        changed.set(r, new Operation(read.process(), OpKind.READ, read.key(), null, stale.value(), Outcome.OK,
            read.invokeNanos(), read.completeNanos()));
        return toHistory(changed);
      }
    }
    throw new IllegalStateException("no read to make stale");
  }

  private static Operation lastOkWriteCompletedBefore(List<Operation> ops, long time) {
    Operation last = null;
    for (Operation op : ops) {
      if (op.f() == OpKind.WRITE && op.outcome() == Outcome.OK && op.completeNanos() < time
          && (last == null || op.completeNanos() > last.completeNanos())) {
        last = op;
      }
    }
    return last;
  }

  private static History toHistory(List<Operation> ops) {
    List<HistoryEvent> events = new ArrayList<>();
    for (Operation op : ops) {
      String written = op.f() == OpKind.READ ? null : op.value();
      events.add(HistoryEvent.invoke(op.process(), op.f(), op.key(), op.expected(), written, op.invokeNanos()));
      EventType type = switch (op.outcome()) {
        case OK -> EventType.OK;
        case FAIL, REFUSED -> EventType.FAIL;
        case INFO -> EventType.INFO;
      };
      String error = op.outcome() == Outcome.FAIL ? "503 NO_QUORUM" : op.outcome() == Outcome.INFO ? "504 TIMEOUT" : null;
      events.add(new HistoryEvent(op.process(), type, op.f(), op.key(), op.expected(), op.value(), error,
          op.completeNanos()));
    }
    events.sort(java.util.Comparator.comparingLong(HistoryEvent::timeNanos));
    return History.of(events);
  }

  private static <T> T timed(String what, java.util.function.Supplier<T> check) {
    return assertTimeoutPreemptively(GENEROUS, () -> {
      long start = System.nanoTime();
      T result = check.get();
      System.out.printf("checked %s in %d ms: %s%n", what, (System.nanoTime() - start) / 1_000_000,
          result instanceof CheckResult r ? r.describe().lines().findFirst().orElse("") : "");
      return result;
    });
  }
}
