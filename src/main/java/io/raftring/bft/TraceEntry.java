package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.Comparator;
import java.util.List;

/**
 * One delivered message as its receiver saw it. {@code status} is {@code accepted}, {@code duplicate} (SM: a valid
 * order the receiver already had) or {@code rejected}, with {@code note} saying why it was rejected.
 */
public record TraceEntry(
    @JsonProperty("round") int round,
    @JsonProperty("from") int from,
    @JsonProperty("to") int to,
    @JsonProperty("order") Order order,
    @JsonProperty("path") List<Integer> path,
    @JsonProperty("status") String status,
    @JsonProperty("note") String note)
    implements CborSerializable {

  public static final String ACCEPTED = "accepted";
  public static final String DUPLICATE = "duplicate";
  public static final String REJECTED = "rejected";

  @JsonCreator
  public TraceEntry {
    path = List.copyOf(path);
  }

  public boolean rejected() {
    return REJECTED.equals(status);
  }

  /** Trace order: round, sender, receiver, then path. */
  public static final Comparator<TraceEntry> ORDER =
      Comparator.comparingInt(TraceEntry::round)
          .thenComparingInt(TraceEntry::from)
          .thenComparingInt(TraceEntry::to)
          .thenComparing(TraceEntry::path, Paths.COMPARATOR);
}
