package io.raftring.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The operations of one key that constrain the search, with their values interned to ints. A cas refused on its
 * condition ({@link Outcome#REFUSED}) is kept like a read: it changed nothing, but it saw that the key did not hold
 * the expected value, at some moment within its interval. Left out, because they cannot change the verdict:
 * <ul>
 *   <li>failed operations: they certainly did not take effect;
 *   <li>reads that did not complete OK: nobody saw what they returned;
 *   <li>unknown-outcome (info) writes, cas and deletes whose resulting value no other operation ever observed. If a
 *       linearization applies such an operation, the next read or cas that applies after it cannot depend on the state
 *       it left (nobody reads or expects that value), so the same linearization without it is valid too. Keeping them
 *       would cost the search a factor of two each: they could take effect anywhere until the end of the history.
 * </ul>
 * The one exception is a refused cas, which any value but its expected one satisfies: such an operation, taking
 * effect just before the refusal, may be what explains it. Leaving it out only takes options away (an unknown
 * outcome may always never take effect), so a history linearizable without it is linearizable; only a history that
 * is not needs the search again with the operations refusals may need ({@link #withOperationsRefusalsMayNeed}).
 *
 * An unknown-outcome operation that is the only one to produce a value that a successful read or cas observed must
 * have taken effect before that observer returned, so it gets that return as its own and stops being optional.
 * Tests write unique values, so this turns most timed-out writes that were seen into ordinary ones; without it each
 * stays a pending choice until the end of the history.
 */
final class KeyHistory {

  final String key;
  /** Ordered by invocation; an operation's index is its id in the search. */
  final List<Operation> operations;
  final int[] expectedIds;
  final int[] valueIds;
  /** When each operation must have taken effect by; {@link Operation#NEVER} if it may also never take effect. */
  final long[] deadlines;
  private final boolean[] refused;
  private final List<String> valuesById = new ArrayList<>();
  /** Every operation of the key, to build the fuller history from; null once it is the fuller one. */
  private final Collection<Operation> all;

  private KeyHistory(String key, List<Operation> operations, long[] deadlines, Collection<Operation> all) {
    this.key = key;
    this.all = all;
    this.operations = operations;
    this.deadlines = deadlines;
    this.expectedIds = new int[operations.size()];
    this.valueIds = new int[operations.size()];
    this.refused = new boolean[operations.size()];
    Map<String, Integer> ids = new HashMap<>();
    valuesById.add(null); // RegisterModel.ABSENT
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      expectedIds[i] = intern(op.expected(), ids);
      valueIds[i] = op.f() == OpKind.DELETE ? RegisterModel.ABSENT : intern(op.value(), ids);
      refused[i] = op.outcome() == Outcome.REFUSED;
    }
  }

  static KeyHistory of(String key, Collection<Operation> all) {
    return of(key, all, false);
  }

  /**
   * The same key with the unknown outcomes that a refused cas may need kept as well, or null when there are none
   * beyond what this history already holds.
   */
  KeyHistory withOperationsRefusalsMayNeed() {
    if (all == null) {
      return null;
    }
    KeyHistory fuller = of(key, all, true);
    return fuller.size() == size() ? null : fuller;
  }

  private static KeyHistory of(String key, Collection<Operation> all, boolean keepWhatRefusalsMayNeed) {
    Set<String> observed = new HashSet<>();
    boolean absenceObserved = false;
    List<Operation> refusals = new ArrayList<>();
    for (Operation op : all) {
      boolean readOk = op.f() == OpKind.READ && op.outcome() == Outcome.OK;
      boolean casMayApply = op.f() == OpKind.CAS && (op.outcome() == Outcome.OK || op.outcome() == Outcome.INFO);
      if (readOk || casMayApply) {
        String seen = readOk ? op.value() : op.expected();
        if (seen == null) {
          absenceObserved = true;
        } else {
          observed.add(seen);
        }
      }
      if (op.outcome() == Outcome.REFUSED) {
        refusals.add(op);
      }
    }
    List<Operation> kept = new ArrayList<>();
    for (Operation op : all) {
      if (op.outcome() == Outcome.FAIL || (op.f() == OpKind.READ && op.outcome() != Outcome.OK)) {
        continue;
      }
      if (op.outcome() == Outcome.INFO) {
        String leaves = op.f() == OpKind.DELETE ? null : op.value();
        boolean seen = leaves == null ? absenceObserved : observed.contains(leaves);
        if (!seen && !(keepWhatRefusalsMayNeed && mayExplainARefusal(op, leaves, refusals))) {
          continue;
        }
      }
      kept.add(op);
    }
    kept.sort(Comparator.comparingLong(Operation::invokeNanos));
    return new KeyHistory(key, List.copyOf(kept), deadlines(kept),
        keepWhatRefusalsMayNeed || refusals.isEmpty() ? null : all);
  }

  /** Whether {@code op}, leaving {@code leaves}, could take effect before a refusal that expected something else. */
  private static boolean mayExplainARefusal(Operation op, String leaves, List<Operation> refusals) {
    for (Operation refusal : refusals) {
      if (op.invokeNanos() <= refusal.completeNanos() && !Objects.equals(leaves, refusal.expected())) {
        return true;
      }
    }
    return false;
  }

  private static long[] deadlines(List<Operation> ops) {
    Map<String, Integer> producers = new HashMap<>();
    Map<String, Long> firstObservedBy = new HashMap<>(); // value -> earliest return of an OK read or cas that saw it
    for (Operation op : ops) {
      if (op.mutates() && op.f() != OpKind.DELETE) {
        producers.merge(op.value(), 1, Integer::sum);
      }
      if (op.outcome() == Outcome.OK && (op.f() == OpKind.READ || op.f() == OpKind.CAS)) {
        String seen = op.f() == OpKind.READ ? op.value() : op.expected();
        if (seen != null) {
          firstObservedBy.merge(seen, op.completeNanos(), Math::min);
        }
      }
    }
    long[] deadlines = new long[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      deadlines[i] = op.outcome() == Outcome.INFO ? Operation.NEVER : op.completeNanos();
      boolean soleProducer = op.mutates() && op.f() != OpKind.DELETE
          && producers.getOrDefault(op.value(), 0) == 1;
      if (op.outcome() == Outcome.INFO && soleProducer && firstObservedBy.containsKey(op.value())) {
        // The observer may return before this op was even invoked: then no order works, and the search says so.
        deadlines[i] = Math.max(op.invokeNanos(), firstObservedBy.get(op.value()));
      }
    }
    return deadlines;
  }

  /** The register's state after operation {@code op} takes effect in {@code state}, or RegisterModel.ILLEGAL. */
  int step(int op, int state) {
    return refused[op] ? RegisterModel.refusedCas(state, expectedIds[op])
        : RegisterModel.step(state, operations.get(op).f(), expectedIds[op], valueIds[op]);
  }

  boolean mayNeverTakeEffect(int op) {
    return deadlines[op] == Operation.NEVER;
  }

  int size() {
    return operations.size();
  }

  String valueOf(int id) {
    return valuesById.get(id);
  }

  private int intern(String value, Map<String, Integer> ids) {
    if (value == null) {
      return RegisterModel.ABSENT;
    }
    return ids.computeIfAbsent(Objects.requireNonNull(value), v -> {
      valuesById.add(v);
      return valuesById.size() - 1;
    });
  }
}
