package io.raftring.kv;

import java.nio.charset.CharacterCodingException;
import java.util.Arrays;

/**
 * Reads what {@link KvWireWriter} wrote, from a byte array. Every length is checked against the bytes that remain
 * before anything is allocated, so garbage fails fast with a {@link KvCodecException} instead of looping or
 * exhausting memory.
 */
final class KvWireReader {

  private final byte[] data;
  private int position;

  KvWireReader(byte[] data) {
    this.data = data;
  }

  int remaining() {
    return data.length - position;
  }

  int readByte() {
    if (position >= data.length) {
      throw new KvCodecException("truncated: needed 1 more byte at offset " + position);
    }
    return data[position++] & 0xFF;
  }

  boolean readBoolean() {
    int at = position;
    int b = readByte();
    if (b > 1) {
      throw new KvCodecException("expected a boolean (0 or 1) at offset " + at + ", found " + b);
    }
    return b == 1;
  }

  long readVarLong() {
    int at = position;
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new KvCodecException("varint at offset " + at + " is longer than 9 bytes");
  }

  /** A count or length that must fit in what remains, each counted element taking at least one byte. */
  int readLength(String what) {
    int at = position;
    long length = readVarLong();
    if (length > remaining()) {
      throw new KvCodecException(
          what + " at offset " + at + " claims " + length + " but only " + remaining() + " bytes remain");
    }
    return (int) length;
  }

  byte[] readBytes(String what) {
    int length = readLength(what + " length");
    byte[] bytes = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return bytes;
  }

  String readString(String what) {
    int length = readLength(what + " length");
    int at = position;
    try {
      String s = StrictUtf8.decode(data, position, length);
      position += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new KvCodecException(what + " at offset " + at + " is not valid UTF-8");
    }
  }

  void expectEnd() {
    if (position != data.length) {
      throw new KvCodecException(remaining() + " unexpected trailing bytes at offset " + position);
    }
  }
}
