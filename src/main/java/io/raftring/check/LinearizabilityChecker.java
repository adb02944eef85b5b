package io.raftring.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a key-value history is linearizable: whether some order of its operations, each taking effect at a
 * single moment between its invocation and its completion, is a legal run of one register per key (see
 * {@link RegisterModel}). Keys are independent registers, so each key's sub-history is checked on its own, which
 * keeps the search small (linearizability is compositional: Herlihy and Wing, 1990).
 *
 * <p>Every key is assumed absent when the history starts.
 */
public final class LinearizabilityChecker {

  /** Operations that completed before the culprit's invocation shown in a violation's window. */
  private static final int OPERATIONS_BEFORE_CULPRIT_SHOWN = 3;

  private final Duration budget;

  /** A checker that searches for as long as it takes; the search is exponential in the worst case. */
  public LinearizabilityChecker() {
    this(null);
  }

  /** @param budget total search time over all keys; keys not decided in time make the verdict UNKNOWN */
  public LinearizabilityChecker(Duration budget) {
    this.budget = budget;
  }

  public CheckResult check(History history) {
    // Far enough away to never come, near enough that nanoTime arithmetic cannot overflow.
    long deadline = System.nanoTime() + (budget == null ? Long.MAX_VALUE / 2 : budget.toNanos());
    List<Violation> violations = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    int operationsChecked = 0;
    Map<String, List<Operation>> byKey = history.operationsByKey();
    for (Map.Entry<String, List<Operation>> entry : byKey.entrySet()) {
      KeyHistory keyHistory = KeyHistory.of(entry.getKey(), entry.getValue());
      LinearizationSearch.SearchResult result = LinearizationSearch.run(keyHistory, deadline);
      KeyHistory fuller = result instanceof LinearizationSearch.Violated ? keyHistory.withOperationsRefusalsMayNeed()
          : null;
      if (fuller != null) {
        // Unknown outcomes left out may explain a refused cas: only then are they worth their cost.
        keyHistory = fuller;
        result = LinearizationSearch.run(keyHistory, deadline);
      }
      operationsChecked += keyHistory.size();
      if (result instanceof LinearizationSearch.Violated violated) {
        violations.add(violation(keyHistory, violated));
      } else if (result instanceof LinearizationSearch.OutOfTime) {
        undecided.add(entry.getKey());
      }
    }
    return new CheckResult(violations, undecided, byKey.size(), operationsChecked, history.originNanos());
  }

  private static Violation violation(KeyHistory history, LinearizationSearch.Violated violated) {
    List<Operation> ops = history.operations;
    Operation culprit = ops.get(violated.culprit());
    Set<Operation> window = new LinkedHashSet<>();
    for (Operation op : ops) {
      if (op.invokeNanos() <= returnOf(culprit) && returnOf(op) >= culprit.invokeNanos()) {
        window.add(op);
      }
    }
    ops.stream()
        .filter(op -> returnOf(op) < culprit.invokeNanos())
        .sorted(Comparator.comparingLong(LinearizabilityChecker::returnOf).reversed())
        .limit(OPERATIONS_BEFORE_CULPRIT_SHOWN)
        .forEach(window::add);
    writerOfObservedValue(ops, culprit).ifPresent(window::add);
    List<Operation> ordered = new ArrayList<>(window);
    ordered.sort(Comparator.comparingLong(Operation::invokeNanos));
    List<String> possible = new ArrayList<>();
    for (int state : violated.possibleStates()) {
      possible.add(history.valueOf(state));
    }
    possible.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
    return new Violation(history.key, culprit, List.copyOf(ordered), Collections.unmodifiableList(possible));
  }

  // A read or cas that saw a value it should not have: show where that value came from, however long ago.
  private static Optional<Operation> writerOfObservedValue(List<Operation> ops, Operation culprit) {
    if (culprit.f() != OpKind.READ && culprit.f() != OpKind.CAS) {
      return Optional.empty();
    }
    String observed = culprit.f() == OpKind.READ ? culprit.value() : culprit.expected();
    return ops.stream()
        .filter(op -> op != culprit && op.mutates() && op.invokeNanos() <= returnOf(culprit))
        .filter(op -> Objects.equals(op.f() == OpKind.DELETE ? null : op.value(), observed))
        .max(Comparator.comparingLong(Operation::invokeNanos));
  }

  /** When the operation must have taken effect by; an unknown outcome has no such bound. */
  private static long returnOf(Operation op) {
    return op.outcome() == Outcome.INFO ? Operation.NEVER : op.completeNanos();
  }
}
