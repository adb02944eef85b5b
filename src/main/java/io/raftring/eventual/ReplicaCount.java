package io.raftring.eventual;

import java.util.Locale;

/**
 * How many replicas must answer a request: a number, a majority ({@code quorum}) or all of them. A request names it
 * as {@code w} or {@code r}; it becomes a number once the replication factor N is known.
 *
 * @param fixed the number, when neither {@code quorum} nor {@code all}
 */
public record ReplicaCount(int fixed, boolean quorum, boolean all) {

  public static final ReplicaCount ONE = new ReplicaCount(1, false, false);
  public static final ReplicaCount QUORUM = new ReplicaCount(0, true, false);
  public static final ReplicaCount ALL = new ReplicaCount(0, false, true);

  public ReplicaCount {
    if ((quorum ? 1 : 0) + (all ? 1 : 0) + (fixed > 0 ? 1 : 0) != 1) {
      throw new IllegalArgumentException("a replica count is a positive number, quorum or all");
    }
  }

  public static ReplicaCount of(int replicas) {
    return new ReplicaCount(replicas, false, false);
  }

  /** Parses {@code 1}, {@code 2}, ..., {@code quorum} or {@code all}; anything else is an IllegalArgumentException. */
  public static ReplicaCount parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("quorum")) {
      return QUORUM;
    }
    if (t.equals("all")) {
      return ALL;
    }
    try {
      int n = Integer.parseInt(t);
      if (n >= 1) {
        return of(n);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("must be a number from 1, quorum or all, was '" + text + "'");
  }

  /** The number of replicas out of {@code n}; more than {@code n} is an IllegalArgumentException. */
  public int resolve(int n) {
    int count = quorum ? n / 2 + 1 : all ? n : fixed;
    if (count > n) {
      throw new IllegalArgumentException("asks for " + count + " replicas but keys have " + n);
    }
    return count;
  }

  @Override
  public String toString() {
    return quorum ? "quorum" : all ? "all" : Integer.toString(fixed);
  }
}
