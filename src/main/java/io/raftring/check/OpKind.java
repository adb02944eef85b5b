package io.raftring.check;

import java.util.Locale;

/** What a client asked the key-value store to do with one key; the {@code "f"} field of a history line. */
public enum OpKind {
  READ,
  WRITE,
  CAS,
  DELETE;

  /** The name used in history files: {@code "read"}, {@code "write"}, {@code "cas"}, {@code "delete"}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static OpKind fromJsonName(String name) {
    for (OpKind kind : values()) {
      if (kind.jsonName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown f \"" + name + "\" (expected read, write, cas or delete)");
  }
}
