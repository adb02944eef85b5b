package io.raftring.kv;

import java.util.Arrays;

/**
 * Appends the primitives of the KV wire format to a growing byte array: unsigned LEB128 varints for lengths, counts
 * and revisions (small numbers dominate, so commands stay compact), and length-prefixed byte strings.
 */
final class KvWireWriter {

  private byte[] buffer;
  private int size;

  KvWireWriter(int expectedBytes) {
    buffer = new byte[Math.max(16, expectedBytes)];
  }

  void writeByte(int b) {
    ensureRoom(1);
    buffer[size++] = (byte) b;
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** Writes {@code value} (0 or more) as an unsigned varint of 1 to 9 bytes. */
  void writeVarLong(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + value);
    }
    ensureRoom(10);
    while ((value & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
  }

  void writeBytes(byte[] bytes) {
    writeVarLong(bytes.length);
    ensureRoom(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  void writeString(String s) {
    writeBytes(StrictUtf8.encode(s));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensureRoom(int more) {
    if (buffer.length - size < more) {
      int needed = Math.addExact(size, more);
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }
}
