package io.raftring.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The events of one test run, and the operations they describe (each invocation paired with its completion). */
public final class History {

  private final List<HistoryEvent> events;
  private final List<Operation> operations;

  private History(List<HistoryEvent> events, List<Operation> operations) {
    this.events = events;
    this.operations = operations;
  }

  /**
   * Pairs each process's invocation with the completion that follows it.
   *
   * @throws HistoryFormatException if a process has two operations in flight, completes what it never invoked, or a
   *     completion does not match its invocation; line numbers count events from 1
   */
  public static History of(List<HistoryEvent> events) {
    int[] lineNumbers = new int[events.size()];
    for (int i = 0; i < lineNumbers.length; i++) {
      lineNumbers[i] = i + 1;
    }
    return of(events, lineNumbers, "history");
  }

  static History of(List<HistoryEvent> events, int[] lineNumbers, String source) {
    Map<Integer, Integer> inFlight = new HashMap<>(); // process -> index of its pending invocation
    List<Operation> operations = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent event = events.get(i);
      Integer pending = inFlight.get(event.process());
      if (event.type() == EventType.INVOKE) {
        if (pending != null) {
          throw new HistoryFormatException(source, lineNumbers[i], "process " + event.process()
              + " invokes a " + event.f().jsonName() + " while its " + events.get(pending).f().jsonName()
              + " of line " + lineNumbers[pending] + " is still in flight");
        }
        inFlight.put(event.process(), i);
        continue;
      }
      if (pending == null) {
        throw new HistoryFormatException(source, lineNumbers[i], "process " + event.process() + " reports "
            + event.type().jsonName() + " for a " + event.f().jsonName() + " it never invoked");
      }
      HistoryEvent invoke = events.get(pending);
      String mismatch = mismatch(invoke, event);
      if (mismatch != null) {
        throw new HistoryFormatException(source, lineNumbers[i],
            mismatch + " (invoked at line " + lineNumbers[pending] + ")");
      }
      operations.add(new Operation(event.process(), invoke.f(), invoke.key(), invoke.expected(),
          invoke.f() == OpKind.READ ? event.value() : invoke.value(), Outcome.of(event),
          invoke.timeNanos(), event.timeNanos()));
      inFlight.remove(event.process());
    }
    // A history cut short (client crashed, test stopped) leaves operations whose fate nobody learnt.
    for (int pending : inFlight.values()) {
      HistoryEvent invoke = events.get(pending);
      operations.add(new Operation(invoke.process(), invoke.f(), invoke.key(), invoke.expected(), invoke.value(),
          Outcome.INFO, invoke.timeNanos(), Operation.NEVER));
    }
    operations.sort(Comparator.comparingLong(Operation::invokeNanos));
    return new History(List.copyOf(events), Collections.unmodifiableList(operations));
  }

  private static String mismatch(HistoryEvent invoke, HistoryEvent completion) {
    if (completion.f() != invoke.f() || !completion.key().equals(invoke.key())) {
      return "process " + completion.process() + " completes a " + completion.f().jsonName() + " of key \""
          + completion.key() + "\" but invoked a " + invoke.f().jsonName() + " of key \"" + invoke.key() + "\"";
    }
    if (completion.timeNanos() < invoke.timeNanos()) {
      return "completion time " + completion.timeNanos() + " is before invocation time " + invoke.timeNanos();
    }
    boolean mutation = invoke.f() == OpKind.WRITE || invoke.f() == OpKind.CAS;
    boolean sameArguments = Objects.equals(completion.expected(), invoke.expected())
        && Objects.equals(completion.value(), invoke.value());
    // A failed or unknown mutation may leave its value out; a successful one must repeat exactly what it did.
    boolean leftOut = completion.type() != EventType.OK && completion.expected() == null && completion.value() == null;
    if (mutation && !sameArguments && !leftOut) {
      return "the " + completion.type().jsonName() + " of a " + invoke.f().jsonName()
          + " carries a different value than its invocation";
    }
    return null;
  }

  /** All events, in the order they were recorded. */
  public List<HistoryEvent> events() {
    return events;
  }

  /** All operations, in order of invocation. */
  public List<Operation> operations() {
    return operations;
  }

  /** Operations grouped by key (keys in order of first invocation), each list in order of invocation. */
  public Map<String, List<Operation>> operationsByKey() {
    Map<String, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    return byKey;
  }

  /** The earliest time in the history, so reports can print times relative to the start of the run. */
  public long originNanos() {
    return operations.stream().mapToLong(Operation::invokeNanos).min().orElse(0L);
  }
}
