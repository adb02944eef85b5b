package io.raftring.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that refuses instead of replacing. {@code String.getBytes(UTF_8)} silently turns an unpaired surrogate into
 * '?', and {@code new String(bytes, UTF_8)} turns malformed bytes into U+FFFD; either would let two different keys
 * collapse into one, so every key crossing a byte boundary goes through here.
 */
final class StrictUtf8 {

  private StrictUtf8() {}

  /** True when {@code s} has no unpaired surrogate, i.e. it encodes to UTF-8 and back unchanged. */
  static boolean isWellFormed(String s) {
    return firstUnpairedSurrogate(s) < 0;
  }

  /** Index of the first unpaired surrogate in {@code s}, or -1 when there is none. */
  static int firstUnpairedSurrogate(String s) {
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The UTF-8 bytes of a well-formed string; an unpaired surrogate is an {@link IllegalArgumentException}. */
  static byte[] encode(String s) {
    int bad = firstUnpairedSurrogate(s);
    if (bad >= 0) {
      throw new IllegalArgumentException("string has an unpaired surrogate at char " + bad);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Number of bytes {@link #encode} would produce, without allocating them. */
  static int encodedLength(String s) {
    int bytes = 0;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Decodes UTF-8, rejecting malformed input (bad sequences, overlong forms, encoded surrogates). */
  static String decode(byte[] bytes, int offset, int length) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes, offset, length))
        .toString();
  }
}
