package io.raftring.ring;

/**
 * Hash tags, as Redis Cluster has them: when a key holds a '{', and after it a '}' with at least one character
 * between, only what is between the first such pair places the key. Keys with the same tag share a group, so their
 * revisions are comparable (locks) and they can change together.
 */
public final class HashTag {

  private HashTag() {}

  /** The tag of {@code key}, or null when it has none. */
  public static String of(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return null;
    }
    int close = key.indexOf('}', open + 1);
    if (close < 0 || close == open + 1) {
      return null;
    }
    return key.substring(open + 1, close);
  }

  /**
   * Whether every key that starts with {@code prefix} has the same tag, so one group holds them all: the prefix holds
   * a whole tag (the first '{' and a '}' after it are both in the prefix).
   */
  public static boolean pinsPrefix(String prefix) {
    return of(prefix) != null;
  }

  /** What places {@code key} on the ring: its tag, or the whole key. */
  public static String placementKeyOf(String key) {
    String tag = of(key);
    return tag == null ? key : tag;
  }
}
