package io.raftring.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The definition of linearizability, executed literally for tiny histories: try every order of every subset that
 * contains all operations that completed OK or were refused on their condition, keep those that respect real time,
 * and see whether one is a legal run of the register (a refused cas is legal where the register does not hold its
 * expected value, and changes nothing). Exponential; the reference the real checker is compared with.
 */
final class BruteForceLinearizability {

  private BruteForceLinearizability() {}

  static boolean isLinearizable(List<Operation> operations) {
    List<Operation> candidates = new ArrayList<>();
    for (Operation op : operations) {
      boolean unobservedRead = op.f() == OpKind.READ && op.outcome() != Outcome.OK;
      if (op.outcome() != Outcome.FAIL && !unobservedRead) {
        candidates.add(op);
      }
    }
    return extend(candidates, new boolean[candidates.size()], null);
  }

  private static boolean extend(List<Operation> ops, boolean[] placed, String state) {
    boolean allRequiredPlaced = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!placed[i] && ops.get(i).outcome() != Outcome.INFO) {
        allRequiredPlaced = false;
      }
    }
    if (allRequiredPlaced) {
      return true; // the operations left have unknown outcomes: they may never take effect
    }
    for (int i = 0; i < ops.size(); i++) {
      if (placed[i] || !mayGoNext(ops, placed, i)) {
        continue;
      }
      Operation op = ops.get(i);
      String after = apply(state, op);
      if (after == ILLEGAL) {
        continue;
      }
      placed[i] = true;
      if (extend(ops, placed, after)) {
        return true;
      }
      placed[i] = false;
    }
    return false;
  }

  // Real time: an operation cannot take effect before one that returned before it was invoked.
  private static boolean mayGoNext(List<Operation> ops, boolean[] placed, int candidate) {
    for (int j = 0; j < ops.size(); j++) {
      Operation other = ops.get(j);
      if (!placed[j] && j != candidate && other.outcome() != Outcome.INFO
          && other.completeNanos() < ops.get(candidate).invokeNanos()) {
        return false;
      }
    }
    return true;
  }

  private static final String ILLEGAL = new String("illegal");

  private static String apply(String state, Operation op) {
    return switch (op.f()) {
      case READ -> Objects.equals(state, op.value()) ? state : ILLEGAL;
      case WRITE -> op.value();
      case CAS -> op.outcome() == Outcome.REFUSED
          ? (Objects.equals(state, op.expected()) ? ILLEGAL : state)
          : Objects.equals(state, op.expected()) ? op.value() : ILLEGAL;
      case DELETE -> null;
    };
  }
}
