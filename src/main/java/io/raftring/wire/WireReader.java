package io.raftring.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link WireWriter} wrote, from a byte array. Every length and count is checked against the bytes that
 * remain before anything is allocated, so a truncated or corrupt payload fails fast with an
 * {@link IllegalArgumentException} naming the offset instead of looping or exhausting memory. Callers turn that into
 * their own failure ({@code KvCodecException}, {@code NotSerializableException}).
 *
 * <p>Each writer method has its reader here; the two varint readers differ only in how long a varint they accept,
 * because the KV format has always refused 10-byte (negative) varints and the Raft format has always allowed them.
 */
public final class WireReader {

  private final byte[] data;
  private int position;

  public WireReader(byte[] data) {
    this.data = data;
  }

  public int readByte() {
    if (position >= data.length) {
      throw new IllegalArgumentException("truncated: needed 1 more byte at offset " + position);
    }
    return data[position++] & 0xFF;
  }

  public boolean readBoolean() {
    int at = position;
    int b = readByte();
    if (b > 1) {
      throw new IllegalArgumentException("expected a boolean (0 or 1) at offset " + at + ", found " + b);
    }
    return b == 1;
  }

  /** What {@link WireWriter#writeVarLong} wrote: any long, in at most 10 bytes. */
  public long readVarLong() {
    return readVarLong(10);
  }

  /** What {@link WireWriter#writeNonNegativeVarLong} wrote: 0 to 2^63-1, in at most 9 bytes. */
  public long readNonNegativeVarLong() {
    return readVarLong(9);
  }

  /** A plain length (as {@link WireWriter#writeBytes} puts in front) or count that must fit in what remains. */
  public int readLength(String what) {
    int at = position;
    return fitting(what, at, readNonNegativeVarLong(), 1);
  }

  /** A count of elements that each take at least {@code minBytesEach} bytes, so it must fit in what remains. */
  public int readCount(String what, int minBytesEach) {
    int at = position;
    return fitting(what, at, readVarLong(), minBytesEach);
  }

  /** What {@link WireWriter#writeBytes} wrote. */
  public byte[] readBytes(String what) {
    return copy(readLength(what + " length"));
  }

  /** Strict UTF-8 with a plain length in front, as {@link #readBytes} reads. */
  public String readString(String what) {
    return decode(what, readLength(what + " length"));
  }

  /** What {@link WireWriter#writeNullableBytes} wrote: null or the bytes. */
  public byte[] readNullableBytes(String what) {
    int length = readNullableLength(what);
    return length < 0 ? null : copy(length);
  }

  /** Strict UTF-8 or null, with length + 1 in front, as {@link #readNullableBytes} reads. */
  public String readNullableString(String what) {
    int length = readNullableLength(what);
    return length < 0 ? null : decode(what, length);
  }

  /** Fails unless every byte has been read: trailing bytes mean the payload is not what the reader thinks it is. */
  public void expectEnd() {
    if (position != data.length) {
      throw new IllegalArgumentException(remaining() + " unexpected trailing bytes at offset " + position);
    }
  }

  private long readVarLong(int maxBytes) {
    int at = position;
    long value = 0;
    for (int shift = 0; shift < 7 * maxBytes; shift += 7) {
      int b = readByte();
      if (shift == 63 && b > 1) {
        throw new IllegalArgumentException("varint at offset " + at + " does not fit in 64 bits");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint at offset " + at + " is longer than " + maxBytes + " bytes");
  }

  /** The length of a nullable byte string, -1 for null. */
  private int readNullableLength(String what) {
    int at = position;
    long lengthPlusOne = readVarLong();
    return lengthPlusOne == 0 ? -1 : fitting(what, at, lengthPlusOne - 1, 1);
  }

  /** {@code count} read at {@code at}, checked (as unsigned) against what remains before anyone allocates it. */
  private int fitting(String what, int at, long count, int minBytesEach) {
    if (count < 0 || count > remaining() / minBytesEach) {
      throw new IllegalArgumentException(what + " at offset " + at + " claims " + Long.toUnsignedString(count)
          + " but only " + remaining() + " bytes remain");
    }
    return (int) count;
  }

  private byte[] copy(int length) {
    byte[] bytes = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return bytes;
  }

  private String decode(String what, int length) {
    int at = position;
    try {
      // A fresh decoder reports malformed input rather than replacing it, so corruption does not pass as text and two
      // different byte strings never decode to one key.
      String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, position, length)).toString();
      position += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " at offset " + at + " is not valid UTF-8");
    }
  }

  private int remaining() {
    return data.length - position;
  }
}
