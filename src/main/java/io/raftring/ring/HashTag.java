package io.raftring.ring;

import java.util.Optional;

/**
 * Hash tags, as Redis Cluster has them: when a key holds a '{' and, somewhere after it, a '}' with at least one
 * character between the two, only the characters between the first '{' and the first '}' after it decide the key's
 * group. {@code {user42}/profile} and {@code {user42}/cart} therefore share a group, and a transaction over both is
 * one Raft entry. A key without a tag ({@code plain}, {@code a{}b}, {@code a}b{c}) is placed by all of it.
 * Keys with the same tag share a group, so their revisions are comparable (locks) and they can change together.
 */
public final class HashTag {

  private HashTag() {}

  /** The tag of {@code key}, if it has one. */
  public static Optional<String> of(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return Optional.empty();
    }
    int close = key.indexOf('}', open + 1);
    if (close <= open + 1) {
      return Optional.empty();
    }
    return Optional.of(key.substring(open + 1, close));
  }

  /**
   * Whether every key that starts with {@code prefix} has the same tag, so one group holds them all: the prefix holds
   * a whole tag (the first '{' and a '}' after it are both in the prefix).
   */
  public static boolean pinsPrefix(String prefix) {
    return of(prefix).isPresent();
  }

  /** What the ring hashes to place {@code key}: its tag if it has one, else the whole key. */
  public static String routingKey(String key) {
    return of(key).orElse(key);
  }
}
