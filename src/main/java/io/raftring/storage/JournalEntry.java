package io.raftring.storage;

import java.util.Objects;

/** One event as the store keeps it: its sequence number and its already serialized bytes. */
public record JournalEntry(long sequenceNr, byte[] bytes) {
  public JournalEntry {
    if (sequenceNr < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1, was " + sequenceNr);
    }
    Objects.requireNonNull(bytes, "bytes");
  }
}
