package io.raftring.check;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Wing and Gong's search for a linearization of one key's history, with Lowe's improvements ("Testing for
 * linearizability", 2017), as in Porcupine.
 *
 * <p>Invocations and returns are laid out in one time-ordered doubly linked list. The search walks it from the front:
 * at an invocation it tries to make that operation take effect now (just-in-time linearization: only operations
 * already invoked are candidates, and an operation is tried only while no earlier return forces a decision); at a
 * return whose operation has not taken effect it is stuck and undoes its last choice. A choice leading to a (set of
 * linearized operations, register state) already explored is skipped, which is what keeps the search polynomial on
 * real histories. Choices live on an explicit stack, so long histories cannot overflow the thread's stack.
 *
 * <p>An optional operation (see {@link KeyHistory}) gets its return at the end of time: it may take effect anywhere
 * after its invocation. Reaching such a return means only optional operations are left, and they may never have
 * taken effect, so the history is linearizable.
 */
final class LinearizationSearch {

  sealed interface SearchResult permits Linearizable, Violated, OutOfTime {}

  record Linearizable() implements SearchResult {}

  /**
   * @param culprit id of the operation whose return no linearization could get past, in the longest prefix explored
   * @param possibleStates register states the search stood in when it was stuck there (a sample)
   */
  record Violated(int culprit, List<Integer> possibleStates) implements SearchResult {}

  record OutOfTime() implements SearchResult {}

  private static final int POSSIBLE_STATES_SHOWN = 6;
  private static final int STEPS_BETWEEN_CLOCK_CHECKS = 1 << 14;

  private final KeyHistory history;
  private final int opCount;
  private final int[] entryOp; // entry position (time order) -> operation id
  private final boolean[] entryIsCall;
  private final int[] callEntry; // operation id -> its call's entry position
  private final int[] returnEntry;
  private final boolean[] mayNeverTakeEffect;
  private final int head;
  private final int tail;
  private final int[] next;
  private final int[] prev;

  private int furthestStuckEntry = -1;
  private final Set<Integer> statesAtFurthestStuck = new LinkedHashSet<>();

  private LinearizationSearch(KeyHistory history) {
    this.history = history;
    this.opCount = history.size();
    int entries = 2 * opCount;
    long[] time = new long[entries];
    mayNeverTakeEffect = new boolean[opCount];
    for (int op = 0; op < opCount; op++) {
      mayNeverTakeEffect[op] = history.mayNeverTakeEffect(op);
      time[2 * op] = history.operations.get(op).invokeNanos();
      time[2 * op + 1] = history.deadlines[op];
    }
    // At equal times an invocation goes before a return: the two operations then count as concurrent, which can only
    // make the checker more lenient, never report a violation that did not happen.
    Integer[] order = IntStream.range(0, entries).boxed().toArray(Integer[]::new);
    Arrays.sort(order,
        Comparator.<Integer>comparingLong(e -> time[e]).thenComparingInt(e -> e % 2).thenComparingInt(e -> e));
    entryOp = new int[entries];
    entryIsCall = new boolean[entries];
    callEntry = new int[opCount];
    returnEntry = new int[opCount];
    for (int position = 0; position < entries; position++) {
      int e = order[position];
      entryOp[position] = e / 2;
      entryIsCall[position] = e % 2 == 0;
      if (entryIsCall[position]) {
        callEntry[e / 2] = position;
      } else {
        returnEntry[e / 2] = position;
      }
    }
    head = entries;
    tail = entries + 1;
    next = new int[entries + 2];
    prev = new int[entries + 2];
    int previous = head;
    for (int position = 0; position <= entries; position++) {
      int current = position == entries ? tail : position;
      next[previous] = current;
      prev[current] = previous;
      previous = current;
    }
  }

  /** @param deadlineNanos a {@link System#nanoTime()} after which the search gives up */
  static SearchResult run(KeyHistory history, long deadlineNanos) {
    return new LinearizationSearch(history).search(deadlineNanos);
  }

  private SearchResult search(long deadlineNanos) {
    BitSet linearized = new BitSet(opCount);
    Set<ExploredKey> explored = new HashSet<>();
    int[] stackOp = new int[opCount];
    int[] stackState = new int[opCount];
    int depth = 0;
    int state = RegisterModel.ABSENT;
    long steps = 0;
    int entry = next[head];
    while (entry != tail) {
      if (++steps % STEPS_BETWEEN_CLOCK_CHECKS == 0 && outOfTime(deadlineNanos)) {
        return new OutOfTime();
      }
      int op = entryOp[entry];
      if (entryIsCall[entry]) {
        int after = history.step(op, state);
        if (after != RegisterModel.ILLEGAL) {
          linearized.set(op);
          if (explored.add(ExploredKey.of(linearized, after))) {
            stackOp[depth] = op;
            stackState[depth] = state;
            depth++;
            state = after;
            lift(op);
            entry = next[head];
            continue;
          }
          linearized.clear(op);
        }
        entry = next[entry];
      } else {
        if (mayNeverTakeEffect[op]) {
          return new Linearizable();
        }
        noteStuck(entry, state);
        if (depth == 0) {
          return new Violated(entryOp[furthestStuckEntry], List.copyOf(statesAtFurthestStuck));
        }
        depth--;
        int undone = stackOp[depth];
        state = stackState[depth];
        linearized.clear(undone);
        unlift(undone);
        entry = next[callEntry[undone]];
      }
    }
    return new Linearizable();
  }

  // The furthest return the search could not get past ends the shortest prefix of the history that no register could
  // produce: every branch that got further would have linearized that prefix.
  private void noteStuck(int entry, int state) {
    if (entry > furthestStuckEntry) {
      furthestStuckEntry = entry;
      statesAtFurthestStuck.clear();
    }
    if (entry == furthestStuckEntry && statesAtFurthestStuck.size() < POSSIBLE_STATES_SHOWN) {
      statesAtFurthestStuck.add(state);
    }
  }

  private static boolean outOfTime(long deadlineNanos) {
    return System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted();
  }

  // Dancing links: a removed entry keeps its own pointers, so undoing removals in reverse order restores the list.
  private void lift(int op) {
    remove(callEntry[op]);
    remove(returnEntry[op]);
  }

  private void unlift(int op) {
    restore(returnEntry[op]);
    restore(callEntry[op]);
  }

  private void remove(int entry) {
    next[prev[entry]] = next[entry];
    prev[next[entry]] = prev[entry];
  }

  private void restore(int entry) {
    next[prev[entry]] = entry;
    prev[next[entry]] = entry;
  }

  /**
   * A (linearized set, state) pair, stored compactly. Operation ids follow invocation order, and an operation that has
   * not taken effect while a later-invoked one has must have been in flight when that one was invoked; so "all ids up
   * to the highest linearized one, except a few" describes the set in a handful of ints instead of a bit per
   * operation of the whole history.
   */
  private record ExploredKey(int[] words) {

    static ExploredKey of(BitSet linearized, int state) {
      int highest = linearized.length() - 1;
      int missing = highest + 1 - linearized.cardinality();
      int[] words = new int[2 + missing];
      words[0] = state;
      words[1] = highest;
      int i = 2;
      for (int id = linearized.nextClearBit(0); id < highest; id = linearized.nextClearBit(id + 1)) {
        words[i++] = id;
      }
      return new ExploredKey(words);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ExploredKey k && Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(words);
    }
  }
}
