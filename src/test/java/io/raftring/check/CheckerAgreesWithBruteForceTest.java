package io.raftring.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random tiny histories - most of them impossible - judged by the checker and by the definition itself. They must
 * agree on every one, unknown outcomes, failures and cas refused on their condition included.
 */
class CheckerAgreesWithBruteForceTest {

  private static final String[] VALUES = {null, "a", "b"};

  @Test
  void theCheckerAgreesWithTheDefinitionOnRandomTinyHistories() {
    Random random = new Random(42);
    LinearizabilityChecker checker = new LinearizabilityChecker();
    int linearizable = 0;
    int cases = 3_000;
    for (int i = 0; i < cases; i++) {
      History history = randomHistory(random, 1 + random.nextInt(7));
      boolean expected = BruteForceLinearizability.isLinearizable(history.operations());

      CheckResult result = checker.check(history);

      assertThat(result.isLinearizable()).as("case %d:%n%s%n%s", i, history.operations(), result)
          .isEqualTo(expected);
      linearizable += expected ? 1 : 0;
    }
    // Both verdicts must be well represented, or the comparison proves little.
    assertThat(linearizable).isBetween(cases / 5, cases * 4 / 5);
  }

  private static History randomHistory(Random random, int size) {
    List<HistoryEvent> events = new ArrayList<>();
    for (int process = 0; process < size; process++) {
      long invoke = random.nextInt(20);
      long complete = invoke + random.nextInt(10);
      OpKind f = OpKind.values()[random.nextInt(4)];
      String expected = f == OpKind.CAS ? VALUES[random.nextInt(3)] : null;
      String value = switch (f) {
        case WRITE, CAS -> VALUES[1 + random.nextInt(2)];
        case READ -> VALUES[random.nextInt(3)];
        case DELETE -> null;
      };
      int roll = random.nextInt(10);
      EventType outcome = roll < 7 ? EventType.OK : roll < 9 ? EventType.INFO : EventType.FAIL;
      // Half the failed cas are refused on their condition (no error: an observation), half failed for a cause.
      String error = outcome == EventType.INFO ? "504 TIMEOUT"
          : outcome == EventType.FAIL && (f != OpKind.CAS || random.nextBoolean()) ? "503 NO_QUORUM" : null;
      events.add(HistoryEvent.invoke(process, f, "k", expected, f == OpKind.READ ? null : value, invoke));
      String completionValue = f == OpKind.READ && outcome != EventType.OK ? null : value;
      events.add(new HistoryEvent(process, outcome, f, "k", expected, completionValue, error, complete));
    }
    events.sort(java.util.Comparator.comparingLong(HistoryEvent::timeNanos));
    return History.of(events);
  }
}
