package io.raftring.check;

/**
 * An invocation paired with its completion.
 *
 * @param expected cas only: the value the key had to hold ({@code null} = absent)
 * @param value write: the value written; cas: the new value; read: what it returned ({@code null} = absent, or the
 *     read did not complete OK); delete: {@code null}
 * @param completeNanos when the client learnt the outcome; for an {@link Outcome#INFO} op the operation itself may
 *     still take effect later. {@link #NEVER} when the history ended with the operation in flight.
 */
public record Operation(
    int process,
    OpKind f,
    String key,
    String expected,
    String value,
    Outcome outcome,
    long invokeNanos,
    long completeNanos) {

  public static final long NEVER = Long.MAX_VALUE;

  /** Whether the operation could change the register: writes, deletes and cas not refused on their condition. */
  public boolean mutates() {
    return f != OpKind.READ && outcome != Outcome.REFUSED;
  }

  /** A short human description, e.g. {@code write "a"}, {@code cas "a" -> "b"}, {@code read -> absent}. */
  public String describeCall() {
    return switch (f) {
      case WRITE -> "write " + quote(value);
      case CAS -> "cas " + quote(expected) + " -> " + quote(value)
          + (outcome == Outcome.REFUSED ? " refused (saw no " + quote(expected) + ")" : "");
      case DELETE -> "delete";
      case READ -> outcome == Outcome.OK ? "read -> " + quote(value) : "read";
    };
  }

  static String quote(String value) {
    return value == null ? "absent" : '"' + value + '"';
  }
}
