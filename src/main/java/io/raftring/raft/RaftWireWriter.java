package io.raftring.raft;

/**
 * Fills a byte array, sized exactly beforehand, with the primitives of {@link ReplicationSerializer}'s format:
 * unsigned LEB128 varints (small numbers dominate, so messages stay compact; a negative long still round-trips, in 10
 * bytes) and nullable byte strings prefixed with their length + 1, 0 standing for null. Sizing first means one
 * allocation and no final copy, which matters for AppendEntries carrying megabytes of entries.
 */
final class RaftWireWriter {

  private final byte[] buffer;
  private int position;

  RaftWireWriter(int sizeBytes) {
    buffer = new byte[sizeBytes];
  }

  /** Bytes {@link #writeVarLong} takes for {@code value}: 1 to 10. */
  static int varLongSize(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Bytes {@link #writeNullableBytes} takes for {@code bytes}. */
  static int nullableBytesSize(byte[] bytes) {
    return bytes == null ? 1 : varLongSize(bytes.length + 1L) + bytes.length;
  }

  void writeByte(int b) {
    buffer[position++] = (byte) b;
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  void writeVarLong(long value) {
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  void writeNullableBytes(byte[] bytes) {
    if (bytes == null) {
      writeByte(0);
      return;
    }
    writeVarLong(bytes.length + 1L);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /** The filled array; the size computed beforehand must have been exact. */
  byte[] finish() {
    if (position != buffer.length) {
      throw new IllegalStateException("sized " + buffer.length + " bytes but wrote " + position);
    }
    return buffer;
  }
}
