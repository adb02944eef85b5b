package io.raftring.raft;

/**
 * The leader's side of one InstallSnapshot transfer to one follower (section 7), as flow control only: which byte
 * range of the snapshot file goes next, with at most {@code maxInflightChunks} chunks unacknowledged, resuming from
 * whatever offset the follower reports. Reading the bytes is the driver's business ({@link Ready.ChunkToSend}).
 */
final class SnapshotTransfer {

  /** The next chunk to send: {@code length} bytes from {@code offset}; {@code done} marks the last one. */
  record Chunk(long offset, int length, boolean done) {}

  private final SnapshotMeta meta;
  private final int chunkBytes;
  private final int maxInflightChunks;
  /** Bytes the follower confirmed holding, in order. */
  private long ackedOffset;
  /** The offset of the next chunk to send. */
  private long sendOffset;
  /** Whether the follower answered since the last {@link #takeStalled()} check. */
  private boolean progressed = true;
  private boolean lastSent;
  /** The offset sending last resumed from, until an answer moves past it; -1 if none. */
  private long resumedAt = -1;

  SnapshotTransfer(SnapshotMeta meta, int chunkBytes, int maxInflightChunks) {
    this.meta = meta;
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
    return !lastSent && sendOffset - ackedOffset < (long) chunkBytes * maxInflightChunks;
  }

  /** The next chunk (the caller checked {@link #canSend()}); it counts as sent. */
  Chunk nextChunk() {
    int length = (int) Math.min(chunkBytes, meta.sizeBytes() - sendOffset);
    boolean done = sendOffset + length == meta.sizeBytes();
    Chunk chunk = new Chunk(sendOffset, length, done);
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
    return stalled;
  }
}
