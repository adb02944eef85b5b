package io.raftring.bench;

import java.util.Base64;
import java.util.SplittableRandom;

/** A value to write: its bytes, and their base64 (for etcd's JSON gateway), computed once. */
public record Value(byte[] bytes, String base64) {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  public static Value of(byte[] bytes) {
    return new Value(bytes, Base64.getEncoder().encodeToString(bytes));
  }

  /** {@code count} distinct values of {@code size} printable ASCII bytes each, from a seeded generator. */
  public static Value[] pool(int count, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Value[] values = new Value[count];
    for (int v = 0; v < count; v++) {
      byte[] bytes = new byte[size];
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) ALPHABET[random.nextInt(ALPHABET.length)];
      }
      values[v] = of(bytes);
    }
    return values;
  }
}
