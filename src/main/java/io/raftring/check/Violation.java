package io.raftring.check;

import java.util.List;
import java.util.Locale;

/**
 * Evidence that one key's history is not linearizable.
 *
 * @param culprit the operation that ends the shortest prefix of the key's history that no register could produce
 * @param window the operations needed to see why: those concurrent with the culprit, the last few that completed
 *     before it, and the one that wrote what it observed; in order of invocation
 * @param possibleValues values the register could hold when the culprit had to take effect ({@code null} = absent);
 *     a sample when there are many
 */
public record Violation(String key, Operation culprit, List<Operation> window, List<String> possibleValues) {

  /** Readable report; times are printed in milliseconds since {@code originNanos}. */
  public String describe(long originNanos) {
    StringBuilder out = new StringBuilder();
    out.append("key \"").append(key).append("\": process ").append(culprit.process()).append("'s ")
        .append(culprit.describeCall()).append(" cannot be linearized; the register could only have held ")
        .append(String.join(" or ", possibleValues.stream().map(Operation::quote).toList())).append('\n');
    out.append(String.format(Locale.ROOT, "     %7s  %-28s %-7s %12s %12s%n",
        "process", "operation", "outcome", "invoke ms", "return ms"));
    for (Operation op : window) {
      out.append(String.format(Locale.ROOT, "  %s %7d  %-28s %-7s %12s %12s%n",
          op.equals(culprit) ? ">>" : "  ", op.process(), op.describeCall(),
          op.outcome().name().toLowerCase(Locale.ROOT), millis(op.invokeNanos(), originNanos),
          op.outcome() == Outcome.INFO ? "?" : millis(op.completeNanos(), originNanos)));
    }
    return out.toString();
  }

  private static String millis(long nanos, long originNanos) {
    return String.format(Locale.ROOT, "%.3f", (nanos - originNanos) / 1e6);
  }
}
