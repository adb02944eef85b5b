package io.raftring.kv;

import java.util.Objects;

/**
 * The rules every key obeys whatever the configured limits: present, not empty, well-formed Unicode. Commands,
 * queries and key-values check them in their constructors, so no malformed key can reach the log.
 */
final class KeyChecks {

  private KeyChecks() {}

  /** A key: not null, not empty, no unpaired surrogate. */
  static String requireKey(String key, String what) {
    Objects.requireNonNull(key, what);
    if (key.isEmpty()) {
      throw KvValidationException.badRequest(what + " must not be empty");
    }
    return requireWellFormed(key, what);
  }

  /** A range bound or prefix: may be empty, otherwise as a key. */
  static String requireWellFormed(String key, String what) {
    Objects.requireNonNull(key, what);
    int bad = StrictUtf8.firstUnpairedSurrogate(key);
    if (bad >= 0) {
      throw KvValidationException.badRequest(what + " is not valid Unicode: unpaired surrogate at char " + bad);
    }
    return key;
  }

  /** A revision a client names: 0 or more. */
  static long requireRevision(long revision, String what) {
    if (revision < 0) {
      throw KvValidationException.badRequest(what + " must be 0 or more, was " + revision);
    }
    return revision;
  }
}
