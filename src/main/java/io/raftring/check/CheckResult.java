package io.raftring.check;

import java.util.List;

/** What {@link LinearizabilityChecker} concluded about a history. */
public final class CheckResult {

  public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search ran out of its time budget on some key and found no violation on the others. */
    UNKNOWN
  }

  private final List<Violation> violations;
  private final List<String> undecidedKeys;
  private final int keysChecked;
  private final int operationsChecked;
  private final long originNanos;

  CheckResult(List<Violation> violations, List<String> undecidedKeys, int keysChecked, int operationsChecked,
      long originNanos) {
    this.violations = List.copyOf(violations);
    this.undecidedKeys = List.copyOf(undecidedKeys);
    this.keysChecked = keysChecked;
    this.operationsChecked = operationsChecked;
    this.originNanos = originNanos;
  }

  public Verdict verdict() {
    if (!violations.isEmpty()) {
      return Verdict.NOT_LINEARIZABLE;
    }
    return undecidedKeys.isEmpty() ? Verdict.LINEARIZABLE : Verdict.UNKNOWN;
  }

  public boolean isLinearizable() {
    return verdict() == Verdict.LINEARIZABLE;
  }

  /** One per key whose history is not linearizable, in order of the key's first invocation. */
  public List<Violation> violations() {
    return violations;
  }

  /** Keys the search gave up on. */
  public List<String> undecidedKeys() {
    return undecidedKeys;
  }

  public int keysChecked() {
    return keysChecked;
  }

  /** Operations the search had to place: failed operations and unobserved unknown outcomes are not counted. */
  public int operationsChecked() {
    return operationsChecked;
  }

  /** The verdict, then each violation with its window of operations. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    switch (verdict()) {
      case LINEARIZABLE -> out.append("LINEARIZABLE: ");
      case NOT_LINEARIZABLE -> out.append("NOT LINEARIZABLE: ").append(violations.size()).append(" of ");
      case UNKNOWN -> out.append("UNKNOWN: ");
    }
    out.append(keysChecked).append(keysChecked == 1 ? " key, " : " keys, ").append(operationsChecked)
        .append(" operations checked\n");
    if (!undecidedKeys.isEmpty()) {
      out.append("search budget exhausted on keys ").append(undecidedKeys).append('\n');
    }
    for (Violation violation : violations) {
      out.append('\n').append(violation.describe(originNanos));
    }
    if (!violations.isEmpty()) {
      out.append("\n(times in ms since the history's first invocation at nanoTime ").append(originNanos)
          .append("; ? = outcome unknown, may take effect any time after its invocation)\n");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
