package io.raftring.cli;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvSnapshot;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A backup of a cluster ({@code raftring backup}): each group's state as one snapshot in the KV state machine's own
 * format ({@link KvSnapshot}: the group's revision, every key with its value, create and mod revision and version,
 * the count and a CRC32), with the group's name and the index its leader had applied at the export.
 *
 * <pre>
 *   "RAFTRING-BACKUP\n" (16 bytes)   format (int, 1)   created at (long, ms since the epoch)   groups (int)
 *   per group:  name (DataOutput.writeUTF)   applied index (long)   KV snapshot
 *   CRC32 of every byte before it (int)
 * </pre>
 */
final class BackupFile {

  private static final byte[] MAGIC = "RAFTRING-BACKUP\n".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT = 1;

  private BackupFile() {}

  /** One group of a backup as read back: its revision, key count and the {@link Digest} of its keys. */
  record GroupSummary(String group, long revision, long appliedIndex, long keys, String digest) {}

  /** A backup's header and groups, all checked. */
  record Summary(Instant createdAt, List<GroupSummary> groups) {
    long keys() {
      return groups.stream().mapToLong(GroupSummary::keys).sum();
    }
  }

  /** Writes a backup: the header now, then {@link #group} once per group, then {@link #finish}. */
  static final class Writer {
    private final CheckedOutputStream checked;
    private final DataOutputStream data;
    private final int groups;
    private int written;

    Writer(OutputStream out, Instant createdAt, int groups) throws IOException {
      this.checked = new CheckedOutputStream(new BufferedOutputStream(out, 64 * 1024), new CRC32());
      this.data = new DataOutputStream(checked);
      this.groups = groups;
      data.write(MAGIC);
      data.writeInt(FORMAT);
      data.writeLong(createdAt.toEpochMilli());
      data.writeInt(groups);
    }

    /** Appends a group whose KV snapshot is the whole of {@code snapshotFile}. */
    void group(String name, long appliedIndex, Path snapshotFile) throws IOException {
      if (written == groups) {
        throw new IllegalStateException("the header announced " + groups + " groups");
      }
      data.writeUTF(name);
      data.writeLong(appliedIndex);
      Files.copy(snapshotFile, data);
      written++;
    }

    void finish() throws IOException {
      if (written != groups) {
        throw new IllegalStateException("wrote " + written + " of the " + groups + " groups announced");
      }
      data.writeInt((int) checked.getChecksum().getValue());
      data.flush();
    }
  }

  /** A group of a backup being read: its entries come from {@link #snapshot} in key order. */
  record Section(String group, long appliedIndex, KvSnapshot.Reader snapshot) {}

  /**
   * Reads a backup group by group. Each section's snapshot must be read to its end (null) before the next
   * {@link #next}; after the last group, {@link #next} checks the file's checksum and returns null.
   */
  static final class Reader {
    private final CheckedInputStream checked;
    private final DataInputStream data;
    private final Instant createdAt;
    private final int groups;
    private int read;

    Reader(InputStream in) throws IOException {
      this.checked = new CheckedInputStream(new BufferedInputStream(in, 64 * 1024), new CRC32());
      this.data = new DataInputStream(checked);
      try {
        byte[] magic = data.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
          throw new IOException("not a RaftRing backup (it does not start with RAFTRING-BACKUP)");
        }
        int format = data.readInt();
        if (format != FORMAT) {
          throw new IOException("backup format " + format + " is not one this version reads (" + FORMAT + ")");
        }
        this.createdAt = Instant.ofEpochMilli(data.readLong());
        this.groups = data.readInt();
      } catch (EOFException e) {
        throw new IOException("the backup ends inside its header", e);
      }
      if (groups < 1) {
        throw new IOException("the backup announces " + groups + " groups");
      }
    }

    Instant createdAt() {
      return createdAt;
    }

    int groups() {
      return groups;
    }

    Section next() throws IOException {
      try {
        if (read == groups) {
          int computed = (int) checked.getChecksum().getValue();
          int stored = data.readInt();
          if (computed != stored) {
            throw new IOException("the backup's checksum does not match: it is damaged");
          }
          if (data.read() != -1) {
            throw new IOException("the backup has bytes after its end");
          }
          return null;
        }
        String group = data.readUTF();
        long appliedIndex = data.readLong();
        read++;
        return new Section(group, appliedIndex, new KvSnapshot.Reader(checked));
      } catch (EOFException e) {
        throw new IOException("the backup ends early, after " + read + " of its " + groups + " groups", e);
      }
    }
  }

  /** Reads the whole backup, checking every group's snapshot and the file's checksum. */
  static Summary verify(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Reader reader = new Reader(in);
      List<GroupSummary> groups = new ArrayList<>();
      for (Section section = reader.next(); section != null; section = reader.next()) {
        Digest digest = new Digest(section.snapshot().revision());
        for (KeyValue kv = section.snapshot().next(); kv != null; kv = section.snapshot().next()) {
          digest.add(kv);
        }
        groups.add(new GroupSummary(section.group(), section.snapshot().revision(), section.appliedIndex(),
            digest.keys(), digest.hex()));
      }
      return new Summary(reader.createdAt(), groups);
    }
  }

  /**
   * A SHA-256 over a group's revision and every key in order with its value, create and mod revision and version:
   * equal digests mean the same state, revisions included.
   */
  static final class Digest {
    private final MessageDigest sha;
    private long keys;

    Digest(long revision) {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
      update(revision);
    }

    void add(KeyValue kv) {
      byte[] key = kv.key().getBytes(StandardCharsets.UTF_8);
      byte[] value = kv.value();
      update(key.length);
      sha.update(key);
      update(value.length);
      sha.update(value);
      update(kv.createRevision());
      update(kv.modRevision());
      update(kv.version());
      keys++;
    }

    long keys() {
      return keys;
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }

    private void update(long n) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        sha.update((byte) (n >>> shift));
      }
    }
  }
}
