package io.raftring.check;

import java.util.Objects;

/**
 * One line of a history: a client process invoking an operation on a key, or learning how it ended.
 *
 * <p>{@code value} is what a write stores, the new value of a cas, or what a successful read returned
 * ({@code null} = the key was absent). {@code expected} is used by cas only: the value the
 * key must hold for the cas to apply ({@code null} = only if absent). In the file a cas carries both as
 * {@code "value":[expected,new]}.
 *
 * <p>{@code error} says why an operation failed or why its outcome is unknown (e.g. {@code "503 NO_QUORUM"},
 * {@code "ConnectException"}, {@code "504 TIMEOUT"}). Every {@code fail} has one, except a cas refused on its
 * condition (HTTP 409): that fail has none, and it is not a non-event but an observation, that the key did not hold
 * the expected value at some moment between invocation and completion ({@link #conditionRefused()}). Invocations and
 * {@code ok} completions have no error; on {@code info} it is optional.
 *
 * @param timeNanos from one monotonic clock ({@link System#nanoTime()}) shared by every process of the history
 */
public record HistoryEvent(
    int process, EventType type, OpKind f, String key, String expected, String value, String error, long timeNanos) {

  public HistoryEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(key, "key");
    if (f != OpKind.CAS && expected != null) {
      throw new IllegalArgumentException("only a cas has an expected value, not a " + f.jsonName());
    }
    if (f == OpKind.DELETE && value != null) {
      throw new IllegalArgumentException("a delete has no value");
    }
    if (f == OpKind.READ && type != EventType.OK && value != null) {
      throw new IllegalArgumentException("only a read's ok carries a value, not its " + type.jsonName());
    }
    if (f == OpKind.WRITE && type == EventType.INVOKE && value == null) {
      throw new IllegalArgumentException("a write must say what it writes");
    }
    if ((type == EventType.INVOKE || type == EventType.OK) && error != null) {
      throw new IllegalArgumentException("an " + type.jsonName() + " has no error");
    }
    if (error != null && error.isBlank()) {
      throw new IllegalArgumentException("an error must say something");
    }
    if (type == EventType.FAIL && error == null && f != OpKind.CAS) {
      throw new IllegalArgumentException("a fail must say why in \"error\"; only a cas refused on its condition has"
          + " none, not a " + f.jsonName());
    }
  }

  public static HistoryEvent invoke(int process, OpKind f, String key, String expected, String value, long time) {
    return new HistoryEvent(process, EventType.INVOKE, f, key, expected, value, null, time);
  }

  /** A cas that failed because the key did not hold the expected value: no error, an observation. */
  public boolean conditionRefused() {
    return type == EventType.FAIL && f == OpKind.CAS && error == null;
  }
}
