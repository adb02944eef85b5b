package io.raftring.storage;

/**
 * Which snapshots of a persistenceId an operation applies to: both bounds inclusive. The store's own form of Akka's
 * SnapshotSelectionCriteria, so the store can be used (and benchmarked) without Akka.
 */
public record SnapshotBounds(long minSequenceNr, long maxSequenceNr, long minTimestamp, long maxTimestamp) {

  public static SnapshotBounds all() {
    return new SnapshotBounds(0, Long.MAX_VALUE, 0, Long.MAX_VALUE);
  }

  public boolean contains(long sequenceNr, long timestamp) {
    return sequenceNr >= minSequenceNr && sequenceNr <= maxSequenceNr
        && timestamp >= minTimestamp && timestamp <= maxTimestamp;
  }
}
