package io.raftring.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * One replica's snapshot directory: the state machine's bytes of each snapshot, one file per snapshot
 * ({@code snap-<index>-<term>.bin}), written to a temporary name, synced, then renamed (and the directory synced), so
 * a file with a final name is always complete. Files a replica receives from its leader are assembled under
 * {@code incoming-*.part} and renamed the same way once their checksum was verified.
 *
 * <p>The state machine's bytes live here rather than in the Akka snapshot store because they can be large: Akka
 * serializes a snapshot into one byte array (held whole in memory, more than once), while a file can be written as a
 * stream and sent to a follower chunk by chunk from any offset.
 */
final class SnapshotFiles {

  private final Path dir;

  SnapshotFiles(Path root, String persistenceId) {
    this.dir = root.resolve(URLEncoder.encode(persistenceId, StandardCharsets.UTF_8));
  }

  Path dir() {
    return dir;
  }

  static String fileName(long index, long term) {
    return SnapshotMeta.fileName(index, term);
  }

  Path path(String file) {
    return dir.resolve(file);
  }

  /** The written file's length and CRC32. */
  record Written(long sizeBytes, long crc32) {}

  /** Writes a snapshot file with {@code writer}, synced, under its final name; runs on whatever thread calls it. */
  Written write(long index, long term, StateMachine.SnapshotView writer) throws IOException {
    Files.createDirectories(dir);
    Path temp = dir.resolve("snap-" + index + "-" + term + ".tmp");
    CRC32 crc = new CRC32();
    long size;
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      CountingOutputStream counting = new CountingOutputStream(Channels.newOutputStream(channel));
      OutputStream out = new BufferedOutputStream(new CheckedOutputStream(counting, crc), 64 * 1024);
      writer.writeTo(out);
      out.flush();
      size = counting.count;
      channel.force(true);
    }
    publish(temp, fileName(index, term));
    return new Written(size, crc.getValue());
  }

  /** Renames a complete, synced file to its final name and syncs the directory, so the rename survives a crash. */
  void publish(Path complete, String finalName) throws IOException {
    Files.move(complete, dir.resolve(finalName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  /** A fresh file for assembling a snapshot received from a leader. */
  Path incoming(long index, long term) throws IOException {
    Files.createDirectories(dir);
    return dir.resolve("incoming-" + index + "-" + term + ".part");
  }

  /**
   * Restores {@code machine} from the snapshot's file, checking its length and CRC32 against what the snapshot
   * recorded; a mismatch is an error (the machine may then hold anything, and the replica must not go on).
   */
  void restore(SnapshotMeta meta, StateMachine machine) throws IOException {
    CRC32 crc = new CRC32();
    try (CheckedInputStream in = new CheckedInputStream(
        new BufferedInputStream(Files.newInputStream(path(meta.file())), 64 * 1024), crc)) {
      machine.restore(in);
      long rest = in.transferTo(OutputStream.nullOutputStream());
      long size = Files.size(path(meta.file()));
      if (rest != 0 || size != meta.sizeBytes() || crc.getValue() != meta.crc32()) {
        throw new IOException("snapshot file " + path(meta.file()) + " does not match its record: " + size
            + " bytes with CRC32 " + Long.toHexString(crc.getValue()) + ", expected " + meta.sizeBytes()
            + " bytes with CRC32 " + Long.toHexString(meta.crc32()) + (rest != 0 ? "; " + rest + " bytes unread" : ""));
      }
    }
  }

  /** Deletes every file in the directory but {@code keep} (null: keep none), and any incoming one unless told. */
  void deleteAllBut(String keep, boolean keepIncoming) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.equals(keep) || (keepIncoming && name.startsWith("incoming-"))) {
          continue;
        }
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean snapshot directory " + dir, e);
    }
  }

  /**
   * Deletes the files of snapshots below {@code index} (and their unfinished temporary files): superseded by the
   * snapshot at {@code index}, whose record is durable. Newer ones, and files being received, stay.
   */
  void deleteOlderThan(long index) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snap-*")) {
      for (Path file : files) {
        String[] parts = file.getFileName().toString().split("[-.]");
        if (parts.length == 4 && Long.parseLong(parts[1]) < index) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot clean snapshot directory " + dir, e);
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for syncing; the rename is then as durable as they make it.
      if (!System.getProperty("os.name").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }

  private static final class CountingOutputStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
