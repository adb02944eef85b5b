package io.raftring.kv;

import java.util.Comparator;

/**
 * The order of keys: by their UTF-8 bytes (equivalently, by Unicode code points), as etcd and every byte-oriented
 * client sees them. {@link String#compareTo} compares UTF-16 code units instead, which puts characters above U+FFFF
 * before U+E000..U+FFFF; ranges and page tokens would then disagree with clients in other languages.
 */
public final class KeyOrder {

  /** Compares two well-formed strings as their UTF-8 encodings would compare, byte by byte, unsigned. */
  public static final Comparator<String> UTF8 = KeyOrder::compare;

  private KeyOrder() {}

  static int compare(String a, String b) {
    int common = Math.min(a.length(), b.length());
    for (int i = 0; i < common; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return codePointRank(x) - codePointRank(y);
      }
    }
    return a.length() - b.length();
  }

  /**
   * Surrogates (U+D800..U+DFFF) stand for code points above U+FFFF, so they must sort after U+E000..U+FFFF: shift
   * those down by 0x800 and the surrogates up by 0x2000 (the fix-up ICU uses for code point order in UTF-16).
   */
  private static int codePointRank(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }
}
