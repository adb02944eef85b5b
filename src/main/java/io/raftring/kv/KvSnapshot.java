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
import java.util.function.Predicate;
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
 * A store without lease state is written in format 1, which nodes that know no leases still read; so are backups,
 * which carry no leases.
 *
 * Reading checks the format, the order of keys, each entry's revisions, the count and the checksum; any mismatch or
 * early end is a {@link KvSnapshotException}. Backups ({@code raftring backup}) hold one such snapshot per group,
 * written as the pages of an export arrive ({@link Writer}) and read back as a stream ({@link Reader}).
 */
public final class KvSnapshot {

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
    Writer writer = new Writer(out, revision, leases);
    for (KeyValue keyValue : entries.values()) {
      writer.add(keyValue);
    }
    writer.finish();
  }

  /**
   * Reads a snapshot. The input is not buffered here, so nothing past the snapshot's last byte is consumed; callers
   * reading from a file should pass a buffered stream.
   */
  static Contents read(InputStream in) throws IOException {
    NavigableMap<String, KeyValue> entries = new TreeMap<>(KeyOrder.UTF8);
    // The lease table comes after the entries, and names only keys among them.
    Reader reader = new Reader(in, entries::containsKey);
    for (KeyValue keyValue = reader.next(); keyValue != null; keyValue = reader.next()) {
      entries.put(keyValue.key(), keyValue);
    }
    return new Contents(entries, reader.revision(), reader.leases());
  }

  /**
   * Writes one snapshot entry by entry: keys must come in key order, with no modRevision beyond the store revision.
   * {@link #finish} writes the end, the count, the lease table if there is one, and the checksum, and flushes; the
   * stream stays open (the caller may write more after the snapshot).
   */
  public static final class Writer {
    private final CheckedOutputStream checked;
    private final DataOutputStream data;
    private final long revision;
    private final LeaseTable leases;
    private String previousKey;
    private long count;

    /** A snapshot without leases (format 1), as backups are. */
    public Writer(OutputStream out, long revision) throws IOException {
      this(out, revision, new LeaseTable());
    }

    Writer(OutputStream out, long revision, LeaseTable leases) throws IOException {
      if (revision < 0) {
        throw new IllegalArgumentException("negative store revision " + revision);
      }
      this.checked = new CheckedOutputStream(new BufferedOutputStream(out, 64 * 1024), new CRC32());
      this.data = new DataOutputStream(checked);
      this.revision = revision;
      this.leases = leases.isEmpty() ? null : leases;
      data.writeByte(this.leases == null ? FORMAT_V1 : FORMAT_V2);
      data.writeLong(revision);
    }

    public void add(KeyValue keyValue) throws IOException {
      if (previousKey != null && KeyOrder.compare(previousKey, keyValue.key()) >= 0) {
        throw new IllegalArgumentException("key " + keyValue.key() + " is not after " + previousKey);
      }
      if (keyValue.modRevision() > revision) {
        throw new IllegalArgumentException("key " + keyValue.key() + " has modRevision " + keyValue.modRevision()
            + " beyond the store revision " + revision);
      }
      data.writeByte(ENTRY);
      byte[] key = StrictUtf8.encode(keyValue.key());
      data.writeInt(key.length);
      data.write(key);
      data.writeInt(keyValue.valueLength());
      data.write(keyValue.valueUnsafe());
      data.writeLong(keyValue.createRevision());
      data.writeLong(keyValue.modRevision());
      data.writeLong(keyValue.version());
      previousKey = keyValue.key();
      count++;
    }

    /** Entries added so far. */
    public long count() {
      return count;
    }

    public void finish() throws IOException {
      data.writeByte(END);
      data.writeLong(count);
      if (leases != null) {
        leases.writeTo(data);
      }
      data.writeInt((int) checked.getChecksum().getValue());
      // Flush, not close: the stream belongs to the caller, who may write more after the snapshot.
      data.flush();
    }
  }

  /**
   * Reads one snapshot entry by entry, checking as it goes; {@link #next} returns null at the end, once the count and
   * the checksum matched. Nothing past the snapshot's last byte is consumed.
   */
  public static final class Reader {
    private final CheckedInputStream checked;
    private final DataInputStream data;
    private final long revision;
    private final int format;
    private final Predicate<String> keyExists;
    private LeaseTable leases = new LeaseTable();
    private String previousKey;
    private long count;
    private boolean ended;

    /** A reader of a snapshot whose lease table, if any, is not checked against its keys (backups have none). */
    public Reader(InputStream in) throws IOException {
      this(in, key -> true);
    }

    /** @param keyExists whether the snapshot held a key, asked of the keys its lease table names */
    Reader(InputStream in, Predicate<String> keyExists) throws IOException {
      this.checked = new CheckedInputStream(in, new CRC32());
      this.data = new DataInputStream(checked);
      this.keyExists = keyExists;
      try {
        format = data.readUnsignedByte();
        if (format != FORMAT_V1 && format != FORMAT_V2) {
          throw new KvSnapshotException("unsupported snapshot format " + format + " (this node reads formats "
              + FORMAT_V1 + " and " + FORMAT_V2 + ")");
        }
        this.revision = data.readLong();
      } catch (EOFException e) {
        throw truncated(e);
      }
      if (revision < 0) {
        throw corrupt("negative store revision " + revision);
      }
    }

    /** The store revision the snapshot was taken at. */
    public long revision() {
      return revision;
    }

    /** The lease table, once {@link #next} returned null (empty for format 1). */
    LeaseTable leases() {
      return leases;
    }

    /** The next entry in key order, or null once the snapshot ended and checked out. */
    public KeyValue next() throws IOException {
      if (ended) {
        return null;
      }
      try {
        int marker = data.readUnsignedByte();
        if (marker == END) {
          finish();
          return null;
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
        previousKey = keyValue.key();
        count++;
        return keyValue;
      } catch (EOFException e) {
        throw truncated(e);
      }
    }

    private void finish() throws IOException {
      long declaredCount = data.readLong();
      if (format == FORMAT_V2) {
        leases = LeaseTable.readFrom(data, keyExists);
      }
      int computedCrc = (int) checked.getChecksum().getValue();
      int storedCrc = data.readInt();
      if (computedCrc != storedCrc) {
        throw corrupt("checksum mismatch: computed " + Integer.toHexString(computedCrc)
            + ", stored " + Integer.toHexString(storedCrc));
      }
      if (declaredCount != count) {
        throw corrupt("declares " + declaredCount + " entries but holds " + count);
      }
      ended = true;
    }

    private KvSnapshotException truncated(EOFException e) {
      return new KvSnapshotException("truncated snapshot: the stream ended after " + count + " complete entries", e);
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
