package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.Arrays;
import java.util.Objects;

/** One entry of a replica's log: the term it was created in, its position, and what it carries. */
public final class LogEntry implements CborSerializable {

  /** What an entry means to the replica; only COMMAND entries reach the state machine. */
  public enum Kind {
    /** Appended by every new leader at the start of its term, so that it can commit earlier terms' entries. */
    NOOP,
    /** A client command, opaque to Raft. */
    COMMAND,
    /**
     * A group configuration ({@link Configuration#encode()}): in force on each replica from the moment it is in its
     * log, committed or not (dissertation section 4.1).
     */
    CONFIG
  }

  private static final byte[] EMPTY = new byte[0];
  /** Fixed per-entry overhead counted against batch byte limits, so empty entries still cost something. */
  static final int OVERHEAD_BYTES = 24;

  private final long index;
  private final long term;
  private final Kind kind;
  private final byte[] data;

  @JsonCreator
  public LogEntry(
      @JsonProperty("index") long index,
      @JsonProperty("term") long term,
      @JsonProperty("kind") Kind kind,
      @JsonProperty("data") byte[] data) {
    this.index = index;
    this.term = term;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.data = data == null ? EMPTY : data;
  }

  public static LogEntry noop(long index, long term) {
    return new LogEntry(index, term, Kind.NOOP, EMPTY);
  }

  public static LogEntry command(long index, long term, byte[] data) {
    return new LogEntry(index, term, Kind.COMMAND, data);
  }

  public static LogEntry config(long index, long term, Configuration configuration) {
    return new LogEntry(index, term, Kind.CONFIG, configuration.encode());
  }

  /** The configuration a CONFIG entry carries. */
  public Configuration configuration() {
    if (kind != Kind.CONFIG) {
      throw new IllegalStateException(this + " is not a configuration entry");
    }
    return Configuration.decode(data);
  }

  public long index() {
    return index;
  }

  public long term() {
    return term;
  }

  public Kind kind() {
    return kind;
  }

  /** The command bytes; callers must not modify them. */
  public byte[] data() {
    return data;
  }

  public int sizeBytes() {
    return data.length + OVERHEAD_BYTES;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e
        && e.index == index
        && e.term == term
        && e.kind == kind
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, term, kind) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "LogEntry(" + index + ", t" + term + ", " + kind + ", " + data.length + "B)";
  }
}
