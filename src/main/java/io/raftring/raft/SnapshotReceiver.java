package io.raftring.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A follower's side of one InstallSnapshot transfer: appends the leader's chunks, strictly in order, to a file on
 * disk (never to memory) and checks the CRC32 of the whole once the last chunk arrived. It belongs to one leader's
 * term and one snapshot: a chunk of another term or another snapshot ends it.
 */
final class SnapshotReceiver implements AutoCloseable {

  /** What became of a chunk. */
  enum Outcome {
    /** Appended; more to come. */
    APPENDED,
    /** Not at the expected offset (a gap or a duplicate); nothing written. */
    OUT_OF_ORDER,
    /** The last chunk arrived and the whole file has the announced length and checksum; it is synced. */
    COMPLETE,
    /** The last chunk arrived but length or checksum differ: the file is worthless. */
    CORRUPT
  }

  private final long term;
  private final long lastIncludedIndex;
  private final long lastIncludedTerm;
  private final Path file;
  private final FileChannel channel;
  private final CRC32 crc = new CRC32();
  private long received;

  SnapshotReceiver(long term, long lastIncludedIndex, long lastIncludedTerm, Path file) throws IOException {
    this.term = term;
    this.lastIncludedIndex = lastIncludedIndex;
    this.lastIncludedTerm = lastIncludedTerm;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Whether {@code chunk} belongs to this transfer (same leader term, same snapshot). */
  boolean isFor(PeerMessage.InstallSnapshot chunk) {
    return chunk.term() == term && chunk.lastIncludedIndex() == lastIncludedIndex
        && chunk.lastIncludedTerm() == lastIncludedTerm;
  }

  long received() {
    return received;
  }

  Path file() {
    return file;
  }

  Outcome accept(PeerMessage.InstallSnapshot chunk) throws IOException {
    if (chunk.offset() != received) {
      return Outcome.OUT_OF_ORDER;
    }
    ByteBuffer data = ByteBuffer.wrap(chunk.data());
    while (data.hasRemaining()) {
      channel.write(data, received + data.position());
    }
    crc.update(chunk.data());
    received += chunk.data().length;
    if (!chunk.done()) {
      return Outcome.APPENDED;
    }
    if (received != chunk.totalBytes() || crc.getValue() != chunk.crc32()) {
      return Outcome.CORRUPT;
    }
    channel.force(true);
    channel.close();
    return Outcome.COMPLETE;
  }

  /** Closes the file and deletes it (after a failure or an abort; a completed file has been moved away first). */
  void discard() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Cleaned at the next start, with every other stray file in the snapshot directory.
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing left to release.
    }
  }
}
