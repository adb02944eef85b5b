package io.raftring.wire;

import java.util.Arrays;

/**
 * Appends the primitives of RaftRing's binary formats (KV commands in {@code kv/KvCodec}, Raft messages in
 * {@code raft/ReplicationSerializer}) to a byte array: unsigned LEB128 varints (small numbers dominate, so encodings
 * stay compact), booleans as one byte, and byte strings with their length in front. {@link WireReader} reads them.
 *
 * <p>Two length-prefixed forms exist because both are stored on disk and neither can change: {@link #writeBytes}
 * puts the plain length in front (KV); {@link #writeNullableBytes} puts length + 1, with 0 for null (Raft).
 *
 * <p>A writer either grows as it goes ({@link #growing}, for callers that can only estimate) or fills an array sized
 * exactly beforehand ({@link #exactly}): one allocation and no final copy, which matters for AppendEntries carrying
 * megabytes of entries. Sizing wrong is a bug in the caller and fails with an {@link IllegalStateException}.
 */
public final class WireWriter {

  private final boolean exactSize;
  private byte[] buffer;
  private int position;

  private WireWriter(byte[] buffer, boolean exactSize) {
    this.buffer = buffer;
    this.exactSize = exactSize;
  }

  /** A writer that starts with room for {@code expectedBytes} and grows when that is not enough. */
  public static WireWriter growing(int expectedBytes) {
    return new WireWriter(new byte[Math.max(16, expectedBytes)], false);
  }

  /** A writer that must be given exactly {@code sizeBytes} bytes, computed with {@link #varLongSize} and friends. */
  public static WireWriter exactly(int sizeBytes) {
    return new WireWriter(new byte[sizeBytes], true);
  }

  /** Bytes {@link #writeVarLong} takes for {@code value}: 1 to 10 (a negative long takes 10). */
  public static int varLongSize(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Bytes {@link #writeNullableBytes} takes for {@code bytes}. */
  public static int nullableBytesSize(byte[] bytes) {
    return bytes == null ? 1 : varLongSize(bytes.length + 1L) + bytes.length;
  }

  public void writeByte(int b) {
    ensureRoom(1);
    buffer[position++] = (byte) b;
  }

  public void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** Any long: 0 to 2^63-1 in 1 to 9 bytes, a negative one in 10 (it still round-trips, as Raft's -1 terms must). */
  public void writeVarLong(long value) {
    ensureRoom(varLongSize(value));
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  /**
   * A long that must not be negative, in 1 to 9 bytes. The KV format reads at most 9-byte varints, so writing a
   * negative there would store bytes its own reader refuses; this refuses it before anything is stored.
   */
  public void writeNonNegativeVarLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + value);
    }
    writeVarLong(value);
  }

  /** {@code bytes} with its plain length in front; read back with {@link WireReader#readBytes}. */
  public void writeBytes(byte[] bytes) {
    writeVarLong(bytes.length);
    writeRaw(bytes);
  }

  /** {@code bytes} or null, with length + 1 in front (0 for null); {@link WireReader#readNullableBytes} reads it. */
  public void writeNullableBytes(byte[] bytes) {
    if (bytes == null) {
      writeByte(0);
      return;
    }
    writeVarLong(bytes.length + 1L);
    writeRaw(bytes);
  }

  /**
   * The bytes written. A growing writer returns a copy trimmed to them; an exact one returns its own array, and fails
   * if fewer bytes were written than it was sized for.
   */
  public byte[] toByteArray() {
    if (!exactSize) {
      return Arrays.copyOf(buffer, position);
    }
    if (position != buffer.length) {
      throw new IllegalStateException("sized " + buffer.length + " bytes but wrote " + position);
    }
    return buffer;
  }

  private void writeRaw(byte[] bytes) {
    ensureRoom(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  private void ensureRoom(int more) {
    if (buffer.length - position >= more) {
      return;
    }
    if (exactSize) {
      throw new IllegalStateException(
          "sized " + buffer.length + " bytes but writing " + more + " more at offset " + position);
    }
    int needed = Math.addExact(position, more);
    buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
  }
}
