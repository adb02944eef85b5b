package io.raftring.raft;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link RaftWireWriter} wrote. Every length and count is checked against the bytes that remain before
 * anything is allocated, so a truncated or corrupt payload fails fast with an {@link IllegalArgumentException} naming
 * the offset instead of looping or exhausting memory.
 */
final class RaftWireReader {

  private final byte[] data;
  private int position;

  RaftWireReader(byte[] data) {
    this.data = data;
  }

  int readByte() {
    if (position >= data.length) {
      throw new IllegalArgumentException("truncated: needed 1 more byte at offset " + position);
    }
    return data[position++] & 0xFF;
  }

  boolean readBoolean() {
    int at = position;
    int b = readByte();
    if (b > 1) {
      throw new IllegalArgumentException("expected a boolean (0 or 1) at offset " + at + ", found " + b);
    }
    return b == 1;
  }

  long readVarLong() {
    int at = position;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      if (shift == 63 && b > 1) {
        throw new IllegalArgumentException("varint at offset " + at + " does not fit in 64 bits");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint at offset " + at + " is longer than 10 bytes");
  }

  /** A count of elements that each take at least {@code minBytesEach} bytes, so it must fit in what remains. */
  int readCount(String what, int minBytesEach) {
    int at = position;
    long count = readVarLong();
    if (count < 0 || count > remaining() / minBytesEach) {
      throw new IllegalArgumentException(what + " at offset " + at + " claims " + Long.toUnsignedString(count)
          + " but only " + remaining() + " bytes remain");
    }
    return (int) count;
  }

  byte[] readNullableBytes(String what) {
    int length = readNullableLength(what);
    if (length < 0) {
      return null;
    }
    byte[] bytes = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return bytes;
  }

  String readNullableString(String what) {
    int length = readNullableLength(what);
    if (length < 0) {
      return null;
    }
    int at = position;
    try {
      // A fresh decoder reports malformed input rather than replacing it, so corruption does not pass as text.
      String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, position, length)).toString();
      position += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " at offset " + at + " is not valid UTF-8");
    }
  }

  void expectEnd() {
    if (position != data.length) {
      throw new IllegalArgumentException(remaining() + " unexpected trailing bytes at offset " + position);
    }
  }

  /** The length of a nullable byte string, -1 for null. */
  private int readNullableLength(String what) {
    int at = position;
    long lengthPlusOne = readVarLong();
    if (lengthPlusOne == 0) {
      return -1;
    }
    long length = lengthPlusOne - 1;
    if (Long.compareUnsigned(length, remaining()) > 0) {
      throw new IllegalArgumentException(what + " at offset " + at + " claims " + Long.toUnsignedString(length)
          + " bytes but only " + remaining() + " remain");
    }
    return (int) length;
  }

  private int remaining() {
    return data.length - position;
  }
}
