package io.raftring.raft;

import io.raftring.CborSerializable;
import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Set;

/**
 * What a snapshot covers and where its bytes are (section 7): the state machine after applying every entry up to
 * {@code lastIncludedIndex} (of term {@code lastIncludedTerm}), the voters and learners of the group at that point
 * (the configuration in force there), and the file
 * in the replica's snapshot directory that holds the state machine's bytes, with their length and CRC32.
 */
public record SnapshotMeta(
    long lastIncludedIndex,
    long lastIncludedTerm,
    List<String> voters,
    String file,
    long sizeBytes,
    long crc32,
    List<String> learners)
    implements CborSerializable {

  @JsonCreator
  public SnapshotMeta {
    voters = List.copyOf(voters);
    // Snapshots written before learners existed have none.
    learners = learners == null ? List.of() : List.copyOf(learners);
  }

  /** A snapshot of a group without learners. */
  public SnapshotMeta(
      long lastIncludedIndex, long lastIncludedTerm, List<String> voters, String file, long sizeBytes, long crc32) {
    this(lastIncludedIndex, lastIncludedTerm, voters, file, sizeBytes, crc32, List.of());
  }

  /** The name of the file that holds the state machine's bytes of the snapshot at {@code index} of {@code term}. */
  public static String fileName(long index, long term) {
    return "snap-" + index + "-" + term + ".bin";
  }

  /** The configuration in force at the snapshot's last included index. */
  public Configuration configuration() {
    return new Configuration(Set.copyOf(voters), Set.copyOf(learners));
  }
}
