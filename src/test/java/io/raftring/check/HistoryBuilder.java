package io.raftring.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Hand-made histories for tests: one line per operation, times in arbitrary units. */
final class HistoryBuilder {

  /** What a process asked for; for a read, what it returned. */
  record Call(OpKind f, String key, String expected, String value) {}

  static Call write(String key, String value) {
    return new Call(OpKind.WRITE, key, null, value);
  }

  /** A read that returned {@code returned} ({@code null} = absent). */
  static Call read(String key, String returned) {
    return new Call(OpKind.READ, key, null, returned);
  }

  static Call cas(String key, String expected, String newValue) {
    return new Call(OpKind.CAS, key, expected, newValue);
  }

  static Call delete(String key) {
    return new Call(OpKind.DELETE, key, null, null);
  }

  private final List<HistoryEvent> events = new ArrayList<>();

  HistoryBuilder ok(int process, Call call, long invoke, long complete) {
    return add(process, call, EventType.OK, null, invoke, complete);
  }

  /** The operation certainly did not take effect, for a reason that is not a cas's condition. */
  HistoryBuilder fail(int process, Call call, long invoke, long complete) {
    return add(process, call, EventType.FAIL, "503 NO_QUORUM", invoke, complete);
  }

  /** A cas whose condition did not hold: it saw the key hold something other than its expected value. */
  HistoryBuilder refused(int process, Call cas, long invoke, long complete) {
    return add(process, cas, EventType.FAIL, null, invoke, complete);
  }

  /** The client gave up at {@code complete}; the operation may still take effect later, or never. */
  HistoryBuilder info(int process, Call call, long invoke, long complete) {
    return add(process, call, EventType.INFO, "504 TIMEOUT", invoke, complete);
  }

  /** The history ends with the operation in flight. */
  HistoryBuilder pending(int process, Call call, long invoke) {
    events.add(HistoryEvent.invoke(process, call.f(), call.key(), call.expected(), invokeValue(call), invoke));
    return this;
  }

  History build() {
    List<HistoryEvent> inTimeOrder = new ArrayList<>(events);
    inTimeOrder.sort(Comparator.comparingLong(HistoryEvent::timeNanos)); // stable: a process's events stay in order
    return History.of(inTimeOrder);
  }

  private HistoryBuilder add(int process, Call call, EventType outcome, String error, long invoke, long complete) {
    pending(process, call, invoke);
    String completionValue = call.f() == OpKind.READ && outcome != EventType.OK ? null : call.value();
    events.add(new HistoryEvent(process, outcome, call.f(), call.key(), call.expected(), completionValue, error,
        complete));
    return this;
  }

  private static String invokeValue(Call call) {
    return call.f() == OpKind.READ ? null : call.value();
  }
}
