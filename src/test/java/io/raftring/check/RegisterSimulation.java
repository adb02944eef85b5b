package io.raftring.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generates linearizable histories by simulating one register that concurrent processes use: every operation takes
 * effect at a random moment inside its interval, and results follow from the order of those moments. Unknown-outcome
 * writes take effect at a random moment after their invocation - possibly after the client gave up - or never.
 * Values written are unique, as in a real test, so a read says which write it saw.
 */
final class RegisterSimulation {

  /** An operation being simulated, before it becomes events. */
  private static final class Planned {
    final int process;
    final OpKind f;
    final long invoke;
    final long effect; // Long.MAX_VALUE: never takes effect
    final long complete;
    final boolean unknownOutcome;
    String expected;
    String value;
    EventType outcome = EventType.OK;

    Planned(int process, OpKind f, long invoke, long effect, long complete, boolean unknownOutcome) {
      this.process = process;
      this.f = f;
      this.invoke = invoke;
      this.effect = effect;
      this.complete = complete;
      this.unknownOutcome = unknownOutcome;
    }
  }

  private final Random random;
  private int nextValue;

  RegisterSimulation(long seed) {
    this.random = new Random(seed);
  }

  /** A history of {@code operations} operations on {@code key}, of which {@code unknownWrites} end as info. */
  History generate(String key, int processes, int operations, int unknownWrites) {
    List<Planned> plan = plan(processes, operations, unknownWrites);
    List<Planned> byEffect = new ArrayList<>(plan);
    byEffect.removeIf(op -> op.effect == Long.MAX_VALUE);
    byEffect.sort(Comparator.comparingLong(op -> op.effect));
    String register = null;
    for (Planned op : byEffect) {
      switch (op.f) {
        case READ -> op.value = register;
        case WRITE -> register = op.value;
        case DELETE -> register = null;
        case CAS -> {
          // Mostly a cas that applies; sometimes one that expects a value the register no longer holds.
          op.expected = random.nextInt(4) == 0 ? "stale-" + random.nextInt(10) : register;
          if (op.unknownOutcome || op.expected == null ? register == null : op.expected.equals(register)) {
            register = op.value;
          } else {
            op.outcome = EventType.FAIL;
          }
        }
      }
    }
    List<HistoryEvent> events = new ArrayList<>();
    for (Planned op : plan) {
      String written = op.f == OpKind.READ ? null : op.value;
      events.add(HistoryEvent.invoke(op.process, op.f, key, op.expected, written, op.invoke));
      EventType outcome = op.unknownOutcome ? EventType.INFO : op.outcome;
      String result = op.f == OpKind.READ && outcome != EventType.OK ? null : op.value;
      // A failed cas here is one refused on its condition: no error, and the checker verifies the refusal.
      String error = outcome == EventType.INFO ? "504 TIMEOUT" : null;
      events.add(new HistoryEvent(op.process, outcome, op.f, key, op.expected, result, error, op.complete));
    }
    events.sort(Comparator.comparingLong(HistoryEvent::timeNanos)); // stable: each process's events stay in order
    return History.of(events);
  }

  private List<Planned> plan(int processes, int operations, int unknownWrites) {
    long[] clock = new long[processes];
    List<Planned> plan = new ArrayList<>();
    int spacing = Math.max(1, operations / Math.max(1, unknownWrites)); // unknown outcomes spread over the run
    for (int i = 0; i < operations; i++) {
      int process = random.nextInt(processes);
      boolean unknown = unknownWrites > 0 && i % spacing == spacing / 2 && i / spacing < unknownWrites;
      OpKind f = unknown ? OpKind.WRITE : pickKind();
      long invoke = clock[process] + 1 + random.nextInt(50);
      long complete = invoke + 1 + random.nextInt(300);
      long effect = invoke + random.nextLong(complete - invoke + 1);
      if (unknown) {
        // Took effect before the timeout, long after it, or never.
        int fate = random.nextInt(3);
        effect = fate == 0 ? effect : fate == 1 ? complete + random.nextInt(5_000) : Long.MAX_VALUE;
      }
      Planned op = new Planned(process, f, invoke, effect, complete, unknown);
      if (f == OpKind.WRITE || f == OpKind.CAS) {
        op.value = "v" + nextValue++;
      }
      plan.add(op);
      clock[process] = complete;
    }
    return plan;
  }

  private OpKind pickKind() {
    int roll = random.nextInt(20);
    return roll < 10 ? OpKind.READ : roll < 15 ? OpKind.WRITE : roll < 18 ? OpKind.CAS : OpKind.DELETE;
  }
}
