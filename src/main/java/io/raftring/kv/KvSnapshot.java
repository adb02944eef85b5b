package io.raftring.kv;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format of {@link KvStateMachine}, written and read entry by entry so a large map is never held twice
 * as bytes:
 *
 * <pre>
 *   format byte (1)   store revision (long)
 *   per key, in key order:  ENTRY (1)  key length (int) + UTF-8   value length (int) + bytes
 *                           createRevision (long)  modRevision (long)  version (long)
 *   END (0)   entry count (long)
 *   format 2 only: the lease table ({@link LeaseTable#writeTo})
 *   CRC32 of every byte before it (int)
 * </pre>
 *
 * A store without lease state is written in format 1, which nodes that know no leases still read.
 *
 * Reading checks the format, the order of keys, each entry's revisions, the count and the checksum; any mismatch or
 * early end is a {@link KvSnapshotException}.
 */
final class KvSnapshot {

  static final int FORMAT_V1 = 1;
  /** Format 1 followed by the lease table. */
  static final int FORMAT_V2 = 2;
  private static final int ENTRY = 1;
  private static final int END = 0;

  /** A fully read snapshot. */
  record Contents(NavigableMap<String, KeyValue> entries, long revision, LeaseTable leases) {}

  private KvSnapshot() {}

  static void write(NavigableMap<String, KeyValue> entries, long revision, OutputStream out) throws IOException {
    write(entries, revision, new LeaseTable(), out);
  }

  static void write(NavigableMap<String, KeyValue> entries, long revision, LeaseTable leases, OutputStream out)
      throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(out, 64 * 1024), new CRC32());
    DataOutputStream data = new DataOutputStream(checked);
    boolean withLeases = !leases.isEmpty();
    data.writeByte(withLeases ? FORMAT_V2 : FORMAT_V1);
    data.writeLong(revision);
    long count = 0;
    for (KeyValue keyValue : entries.values()) {
      data.writeByte(ENTRY);
      byte[] key = StrictUtf8.encode(keyValue.key());
      data.writeInt(key.length);
      data.write(key);
      data.writeInt(keyValue.valueLength());
      data.write(keyValue.valueUnsafe());
      data.writeLong(keyValue.createRevision());
      data.writeLong(keyValue.modRevision());
      data.writeLong(keyValue.version());
      count++;
    }
    data.writeByte(END);
    data.writeLong(count);
    if (withLeases) {
      leases.writeTo(data);
    }
    data.writeInt((int) checked.getChecksum().getValue());
    // Flush, not close: the stream belongs to the caller, who may write more after the snapshot.
    data.flush();
  }

  /**
   * Reads a snapshot. The input is not buffered here, so nothing past the snapshot's last byte is consumed; callers
   * reading from a file should pass a buffered stream.
   */
  static Contents read(InputStream in) throws IOException {
    CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
    DataInputStream data = new DataInputStream(checked);
    NavigableMap<String, KeyValue> entries = new TreeMap<>(KeyOrder.UTF8);
    long count = 0;
    try {
      int format = data.readUnsignedByte();
      if (format != FORMAT_V1 && format != FORMAT_V2) {
        throw new KvSnapshotException(
            "unsupported snapshot format " + format + " (this node reads formats " + FORMAT_V1 + " and " + FORMAT_V2
                + ")");
      }
      long revision = data.readLong();
      if (revision < 0) {
        throw corrupt("negative store revision " + revision);
      }
      String previousKey = null;
      while (true) {
        int marker = data.readUnsignedByte();
        if (marker == END) {
          break;
        }
        if (marker != ENTRY) {
          throw corrupt("unexpected marker " + marker + " after " + count + " entries");
        }
        KeyValue keyValue = readEntry(data, count);
        if (previousKey != null && KeyOrder.compare(previousKey, keyValue.key()) >= 0) {
          throw corrupt("entry " + count + " is out of key order");
        }
        if (keyValue.modRevision() > revision) {
          throw corrupt("entry " + count + " has modRevision " + keyValue.modRevision()
              + " beyond the store revision " + revision);
        }
        entries.put(keyValue.key(), keyValue);
        previousKey = keyValue.key();
        count++;
      }
      long declaredCount = data.readLong();
      LeaseTable leases = format == FORMAT_V2 ? LeaseTable.readFrom(data, entries::containsKey) : new LeaseTable();
      int computedCrc = (int) checked.getChecksum().getValue();
      int storedCrc = data.readInt();
      if (computedCrc != storedCrc) {
        throw corrupt("checksum mismatch: computed " + Integer.toHexString(computedCrc)
            + ", stored " + Integer.toHexString(storedCrc));
      }
      if (declaredCount != count) {
        throw corrupt("declares " + declaredCount + " entries but holds " + count);
      }
      return new Contents(entries, revision, leases);
    } catch (EOFException e) {
      throw new KvSnapshotException("truncated snapshot: the stream ended after " + count + " complete entries", e);
    }
  }

  private static KeyValue readEntry(DataInputStream data, long index) throws IOException {
    byte[] keyBytes = readBlob(data, "key", index);
    byte[] value = readBlob(data, "value", index);
    long createRevision = data.readLong();
    long modRevision = data.readLong();
    long version = data.readLong();
    String key;
    try {
      key = StrictUtf8.decode(keyBytes, 0, keyBytes.length);
    } catch (CharacterCodingException e) {
      throw corrupt("entry " + index + " has a key that is not valid UTF-8");
    }
    try {
      return new KeyValue(key, value, createRevision, modRevision, version);
    } catch (IllegalArgumentException e) {
      throw new KvSnapshotException("corrupt snapshot: entry " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * readNBytes grows its buffer only as bytes actually arrive, so a corrupt length on a short stream ends in EOF, not
   * in allocating what the length claims.
   */
  private static byte[] readBlob(DataInputStream data, String what, long index) throws IOException {
    int length = data.readInt();
    if (length < 0) {
      throw corrupt("entry " + index + " has a negative " + what + " length " + length);
    }
    byte[] bytes = data.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException();
    }
    return bytes;
  }

  private static KvSnapshotException corrupt(String detail) {
    return new KvSnapshotException("corrupt snapshot: " + detail);
  }
}
