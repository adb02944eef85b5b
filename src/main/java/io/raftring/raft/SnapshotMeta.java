package io.raftring.raft;

import io.raftring.CborSerializable;
import java.util.List;

/**
 * What a snapshot covers and where its bytes are (section 7): the state machine after applying every entry up to
 * {@code lastIncludedIndex} (of term {@code lastIncludedTerm}), the voters of the group at that point, and the file
 * in the replica's snapshot directory that holds the state machine's bytes, with their length and CRC32.
 */
public record SnapshotMeta(
    long lastIncludedIndex, long lastIncludedTerm, List<String> voters, String file, long sizeBytes, long crc32)
    implements CborSerializable {

  public SnapshotMeta {
    voters = List.copyOf(voters);
  }
}
