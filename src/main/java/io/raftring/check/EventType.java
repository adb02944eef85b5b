package io.raftring.check;

import java.util.Locale;

/**
 * Where an operation stands in a history line's {@code "type"} field. {@link #FAIL} means the operation certainly did
 * not take effect; {@link #INFO} means nobody knows (timeout, lost connection): it may take effect at any moment after
 * its invocation, or never.
 */
public enum EventType {
  INVOKE,
  OK,
  FAIL,
  INFO;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isCompletion() {
    return this != INVOKE;
  }

  static EventType fromJsonName(String name) {
    for (EventType type : values()) {
      if (type.jsonName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown type \"" + name + "\" (expected invoke, ok, fail or info)");
  }
}
