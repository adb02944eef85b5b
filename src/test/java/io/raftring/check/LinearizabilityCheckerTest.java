package io.raftring.check;

import static io.raftring.check.HistoryBuilder.cas;
import static io.raftring.check.HistoryBuilder.delete;
import static io.raftring.check.HistoryBuilder.read;
import static io.raftring.check.HistoryBuilder.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.check.CheckResult.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private CheckResult check(HistoryBuilder history) {
    return checker.check(history.build());
  }

  @Nested
  class LinearizableHistories {

    @Test
    void sequentialOperationsThatFollowTheRegisterAreLinearizable() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, read("x", null), 0, 1)
          .ok(0, write("x", "a"), 2, 3)
          .ok(1, read("x", "a"), 4, 5)
          .ok(1, cas("x", "a", "b"), 6, 7)
          .ok(0, read("x", "b"), 8, 9)
          .ok(0, delete("x"), 10, 11)
          .ok(1, read("x", null), 12, 13));

      assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
      assertThat(result.violations()).isEmpty();
    }

    @Test
    void aReadConcurrentWithAWriteMayReturnTheOldValue() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .ok(0, write("x", "b"), 10, 20)
          .ok(1, read("x", "a"), 12, 18));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void aReadConcurrentWithAWriteMayReturnTheNewValue() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .ok(0, write("x", "b"), 10, 20)
          .ok(1, read("x", "b"), 12, 18));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void aReadThatStartsBeforeAWriteMayStillSeeItIfTheyOverlap() {
      CheckResult result = check(new HistoryBuilder()
          .ok(1, read("x", "a"), 0, 10)
          .ok(0, write("x", "a"), 5, 15));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void operationsEndingAndStartingAtTheSameInstantCountAsConcurrent() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, read("x", null), 10, 20));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void ofTwoConcurrentCasFromTheSameValueOneMaySucceedAndTheOtherFail() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "v0"), 0, 1)
          .ok(1, cas("x", "v0", "x1"), 10, 20)
          .fail(2, cas("x", "v0", "y1"), 11, 21)
          .ok(0, read("x", "x1"), 30, 31));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void aCasExpectingAbsentAppliesOnlyToAnAbsentKey() {
      assertThat(check(new HistoryBuilder()
          .ok(0, cas("x", null, "a"), 0, 1)
          .ok(1, read("x", "a"), 2, 3)).isLinearizable()).isTrue();

      assertThat(check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .ok(1, cas("x", null, "b"), 2, 3)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aReadAfterADeleteReturnsAbsent() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .ok(0, delete("x"), 2, 3)
          .ok(1, read("x", null), 4, 5));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void failedOperationsAreIgnoredBecauseTheyCertainlyDidNotApply() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .fail(1, write("x", "b"), 2, 3)
          .fail(1, delete("x"), 4, 5)
          .fail(2, read("x", null), 4, 5)
          .ok(0, read("x", "a"), 6, 7));

      assertThat(result.isLinearizable()).isTrue();
    }
  }

  @Nested
  class Violations {

    @Test
    void aStaleReadReturningAValueOverwrittenBeforeItStartedIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(0, write("x", "b"), 20, 30)
          .ok(1, read("x", "a"), 40, 50));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
      Violation violation = result.violations().get(0);
      assertThat(violation.key()).isEqualTo("x");
      assertThat(violation.culprit().f()).isEqualTo(OpKind.READ);
      assertThat(violation.culprit().value()).isEqualTo("a");
      assertThat(violation.possibleValues()).containsExactly("b");
    }

    @Test
    void aLostWriteIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, read("x", null), 20, 30));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
      assertThat(result.violations().get(0).culprit().describeCall()).isEqualTo("read -> absent");
    }

    @Test
    void twoConcurrentCasFromTheSameValueCannotBothSucceed() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "v0"), 0, 1)
          .ok(1, cas("x", "v0", "x1"), 10, 20)
          .ok(2, cas("x", "v0", "y1"), 11, 21));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
      Violation violation = result.violations().get(0);
      assertThat(violation.culprit().f()).isEqualTo(OpKind.CAS);
      assertThat(violation.window()).extracting(Operation::describeCall)
          .contains("write \"v0\"", "cas \"v0\" -> \"x1\"", "cas \"v0\" -> \"y1\"");
    }

    @Test
    void readingAValueNeverWrittenIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, read("x", "zzz"), 5, 15));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void readingTheValueOfAFailedWriteIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .fail(0, write("x", "a"), 0, 10)
          .ok(1, read("x", "a"), 20, 30));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void readingADeletedValueAfterTheDeleteCompletedIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .ok(0, delete("x"), 2, 3)
          .ok(1, read("x", "a"), 4, 5));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void theReportShowsTheCulpritAmongTheOperationsThatExplainIt() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 1_000_000, 2_000_000)
          .ok(0, write("x", "old-1"), 2_100_000, 2_200_000)
          .ok(0, write("x", "old-2"), 2_300_000, 2_400_000)
          .ok(0, write("x", "old-3"), 2_500_000, 2_600_000)
          .ok(0, write("x", "b"), 3_000_000, 4_000_000)
          .ok(1, read("x", "b"), 4_500_000, 4_600_000)
          .ok(2, write("x", "c"), 4_700_000, 6_000_000)
          .ok(1, read("x", "a"), 5_000_000, 5_500_000));

      Violation violation = result.violations().get(0);
      assertThat(violation.window()).extracting(Operation::describeCall).containsExactly(
          "write \"a\"", "write \"old-3\"", "write \"b\"", "read -> \"b\"", "write \"c\"", "read -> \"a\"");
      String report = result.describe();
      assertThat(report).startsWith("NOT LINEARIZABLE: 1 of 1 key")
          .contains("key \"x\": process 1's read -> \"a\" cannot be linearized")
          .contains("the register could only have held \"b\" or \"c\"");
      assertThat(report.lines().filter(line -> line.startsWith("  >>")))
          .singleElement().asString().contains("read -> \"a\"").contains("4.000").contains("4.500");
    }
  }

  @Nested
  class UnknownOutcomes {

    @Test
    void anUnknownWriteMayHaveApplied() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .info(1, write("x", "b"), 2, 3)
          .ok(0, read("x", "b"), 4, 5));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void anUnknownWriteMayNeverHaveApplied() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .info(1, write("x", "b"), 2, 3)
          .ok(0, read("x", "a"), 4, 5));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void anUnknownWriteMayApplyLongAfterItsClientGaveUp() {
      CheckResult result = check(new HistoryBuilder()
          .info(1, write("x", "b"), 0, 10)
          .ok(0, write("x", "c"), 20, 30)
          .ok(0, read("x", "c"), 40, 50)
          .ok(0, read("x", "b"), 60, 70));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void anUnknownWriteAppliesAtMostOnce() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .info(1, write("x", "b"), 2, 3)
          .ok(0, read("x", "b"), 4, 5)
          .ok(0, read("x", "a"), 6, 7)
          .ok(0, read("x", "b"), 8, 9));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownWriteCannotApplyBeforeItWasInvoked() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, read("x", "b"), 0, 1)
          .info(1, write("x", "b"), 2, 3));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anOperationStillInFlightWhenTheHistoryEndsIsAnUnknownOutcome() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 1)
          .pending(1, cas("x", "a", "b"), 2)
          .ok(0, read("x", "b"), 4, 5));

      assertThat(result.isLinearizable()).isTrue();
    }
  }

  /** A cas refused on its condition (409, a fail without error) saw the key hold another value within its interval. */
  @Nested
  class RefusedCompareAndSet {

    @Test
    void aCasRefusedBecauseAnotherCasWonTheRaceIsLinearizable() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, cas("x", "a", "b"), 20, 40)
          .refused(2, cas("x", "a", "c"), 25, 45)
          .ok(0, read("x", "b"), 50, 60));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void aCasRefusedWhileTheKeyHeldItsExpectedValueThroughoutIsAViolation() {
      // A wrong 409: nothing else touched x, so the condition held the whole time.
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .refused(1, cas("x", "a", "b"), 20, 30)
          .ok(0, read("x", "a"), 40, 50));

      assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
      Violation violation = result.violations().get(0);
      assertThat(violation.culprit().outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(violation.culprit().describeCall()).isEqualTo("cas \"a\" -> \"b\" refused (saw no \"a\")");
      assertThat(violation.possibleValues()).containsExactly("a");
    }

    @Test
    void aCreateOnlyCasRefusedWhileTheKeyWasAbsentIsAViolation() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, read("x", null), 0, 10)
          .refused(1, cas("x", null, "b"), 20, 30));

      assertThat(result.isLinearizable()).isFalse();
    }

    @Test
    void aRefusalIsExplainedByAConcurrentWrite() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .refused(1, cas("x", "a", "b"), 20, 40)
          .ok(2, write("x", "c"), 30, 35));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void aRefusalMustBeExplainedWithinItsInterval() {
      // The write that would explain it began only after the refusal returned.
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .refused(1, cas("x", "a", "b"), 20, 30)
          .ok(2, write("x", "c"), 40, 50));

      assertThat(result.isLinearizable()).isFalse();
    }

    @Test
    void aRefusalMayBeExplainedByAnUnknownOutcomeNobodyObserved() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .info(2, write("x", "lost"), 12, 14)
          .refused(1, cas("x", "a", "b"), 20, 30));

      assertThat(result.isLinearizable()).isTrue();
    }

    @Test
    void anUnknownOutcomeInvokedAfterTheRefusalReturnedCannotExplainIt() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .refused(1, cas("x", "a", "b"), 20, 30)
          .info(2, write("x", "late"), 40, 45));

      assertThat(result.isLinearizable()).isFalse();
    }

    @Test
    void aCasThatFailedForACauseSaysNothingAboutTheValue() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .fail(1, cas("x", "a", "b"), 20, 30)
          .ok(0, read("x", "a"), 40, 50));

      assertThat(result.isLinearizable()).isTrue();
    }
  }

  @Nested
  class Keys {

    @Test
    void eachKeyIsAnIndependentRegister() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, write("y", "b"), 5, 15)
          .ok(0, read("y", "b"), 20, 30)
          .ok(1, read("x", "a"), 20, 30)
          .ok(2, read("z", null), 20, 30));

      assertThat(result.isLinearizable()).isTrue();
      assertThat(result.keysChecked()).isEqualTo(3);
    }

    @Test
    void aValueWrittenToOneKeyIsNotVisibleThroughAnother() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(1, read("y", "a"), 20, 30));

      assertThat(result.violations()).extracting(Violation::key).containsExactly("y");
    }

    @Test
    void onlyKeysWithAViolationAreReported() {
      CheckResult result = check(new HistoryBuilder()
          .ok(0, write("x", "a"), 0, 10)
          .ok(3, write("y", "a"), 0, 10)
          .ok(1, write("y", "b"), 20, 30)
          .ok(2, read("y", "a"), 40, 50)
          .ok(1, read("x", "a"), 40, 50));

      assertThat(result.violations()).extracting(Violation::key).containsExactly("y");
    }
  }

  private static HistoryBuilder longSequentialHistoryEndingInAStaleRead() {
    HistoryBuilder history = new HistoryBuilder();
    for (int i = 0; i < 50_000; i++) {
      history.ok(i % 3, write("x", "v" + i), 10L * i, 10L * i + 5);
    }
    return history.ok(0, read("x", "v0"), 10L * 50_000, 10L * 50_000 + 5);
  }

  @Test
  void aLongSequentialHistoryDoesNotOverflowTheStack() {
    CheckResult result = check(longSequentialHistoryEndingInAStaleRead());

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.violations().get(0).possibleValues()).containsExactly("v49999");
  }

  @Test
  void aSearchThatRunsOutOfItsBudgetGivesNoVerdictRatherThanAWrongOne() {
    CheckResult result = new LinearizabilityChecker(Duration.ZERO)
        .check(longSequentialHistoryEndingInAStaleRead().build());

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.undecidedKeys()).containsExactly("x");
    assertThat(result.isLinearizable()).isFalse();
  }
}
