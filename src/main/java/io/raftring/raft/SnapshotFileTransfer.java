package io.raftring.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leader's side of one InstallSnapshot transfer to one follower: reads the snapshot file chunk by chunk at the
 * offsets the follower asks for, with at most {@code maxInflightChunks} chunks unacknowledged (flow control). Only
 * one chunk is in memory at a time.
 *
 * <p>The file stays open for the whole transfer, so a newer snapshot replacing it (and deleting its file) does not
 * cut the transfer short: an open file can still be read after it was unlinked.
 */
final class SnapshotFileTransfer implements AutoCloseable {

  private final SnapshotMeta meta;
  private final Set<String> voters;
  private final Set<String> learners;
  private final FileChannel channel;
  private final int chunkBytes;
  private final int maxInflightChunks;
  /** Bytes the follower confirmed holding, in order. */
  private long ackedOffset;
  /** The offset of the next chunk to send. */
  private long sendOffset;
  /** Whether the follower answered since the last {@link #takeStalled()} check. */
  private boolean progressed = true;
  private boolean stalledAtLastCheck;
  private boolean lastSent;
  /** The offset sending last resumed from, until an answer moves past it; -1 if none. */
  private long resumedAt = -1;

  SnapshotFileTransfer(SnapshotMeta meta, Path file, int chunkBytes, int maxInflightChunks) throws IOException {
    this.meta = meta;
    this.voters = Set.copyOf(new TreeSet<>(meta.voters()));
    this.learners = Set.copyOf(new TreeSet<>(meta.learners()));
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.chunkBytes = chunkBytes;
    this.maxInflightChunks = maxInflightChunks;
  }

  SnapshotMeta meta() {
    return meta;
  }

  long ackedOffset() {
    return ackedOffset;
  }

  long sendOffset() {
    return sendOffset;
  }

  /** Whether the window allows another chunk now. */
  boolean canSend() {
    if (lastSent) {
      return false;
    }
    return sendOffset - ackedOffset < (long) chunkBytes * maxInflightChunks;
  }

  /** Reads and returns the next chunk (the caller checked {@link #canSend()}). */
  PeerMessage.InstallSnapshot nextChunk(long term, String from) throws IOException {
    int length = (int) Math.min(chunkBytes, meta.sizeBytes() - sendOffset);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, sendOffset + buffer.position());
      if (read < 0) {
        throw new IOException("snapshot file ended at " + (sendOffset + buffer.position()) + " of "
            + meta.sizeBytes() + " bytes");
      }
    }
    boolean done = sendOffset + length == meta.sizeBytes();
    PeerMessage.InstallSnapshot chunk = new PeerMessage.InstallSnapshot(term, from, meta.lastIncludedIndex(),
        meta.lastIncludedTerm(), voters, meta.sizeBytes(), meta.crc32(), sendOffset, buffer.array(), done, learners);
    sendOffset += length;
    lastSent = done;
    return chunk;
  }

  /**
   * The follower holds {@code nextOffset} bytes in order. Answers to chunks that arrived in order only grow; an answer
   * that does not grow means a chunk did not fit (one was lost, or the follower lost its partial file), so sending
   * resumes from where the follower is. The other chunks in flight then draw the same answer, which is ignored.
   */
  void onProgress(long nextOffset) {
    progressed = true;
    if (nextOffset > ackedOffset) {
      ackedOffset = Math.min(nextOffset, meta.sizeBytes());
      resumedAt = -1;
      return;
    }
    if (nextOffset != resumedAt && !(nextOffset == ackedOffset && nextOffset == sendOffset)) {
      resumeFrom(nextOffset);
    }
  }

  /** Resume sending from {@code offset}, which the follower holds. */
  void resumeFrom(long offset) {
    progressed = true;
    ackedOffset = Math.min(offset, meta.sizeBytes());
    sendOffset = ackedOffset;
    resumedAt = ackedOffset;
    lastSent = false;
  }

  /** The follower dropped everything (checksum mismatch): start again from offset 0. */
  void restart() {
    resumeFrom(0);
  }

  /** Whether nothing came back since the last check; the check itself starts a new interval. */
  boolean takeStalled() {
    boolean stalled = !progressed;
    progressed = false;
    stalledAtLastCheck = stalled;
    return stalled;
  }

  /** What the last {@link #takeStalled()} found, taking it first if the caller has not this interval. */
  boolean stalledSinceLastCheck() {
    return stalledAtLastCheck;
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
