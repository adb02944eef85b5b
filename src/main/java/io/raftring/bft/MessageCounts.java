package io.raftring.bft;

/** Closed forms for message counts, used to check runs and to refuse runs that would be too large. */
public final class MessageCounts {
  private MessageCounts() {}

  /**
   * Messages OM(m) sends in round {@code round} (1-based) among n generals: (n-1)(n-2)...(n-round). Saturates at
   * Long.MAX_VALUE.
   */
  public static long omRound(int n, int round) {
    long product = 1;
    for (int i = 1; i <= round; i++) {
      long factor = n - i;
      if (factor <= 0) return 0;
      if (product > Long.MAX_VALUE / factor) return Long.MAX_VALUE;
      product *= factor;
    }
    return product;
  }

  /** Total messages of OM(m): (n-1) + (n-1)(n-2) + ... over m+1 rounds. Saturates at Long.MAX_VALUE. */
  public static long omTotal(int n, int m) {
    long total = 0;
    for (int round = 1; round <= m + 1; round++) {
      long r = omRound(n, round);
      if (r == 0) break;
      if (total > Long.MAX_VALUE - r) return Long.MAX_VALUE;
      total += r;
    }
    return total;
  }

  /**
   * An upper bound on SM(m)'s messages: the commander's n-1, plus every lieutenant relaying each of the two orders at
   * most once to n-2 others, plus one invented order per receiver from a forging traitor.
   */
  public static long smUpperBound(int n, int m) {
    if (m == 0) return n - 1L;
    return (n - 1L) + 3L * (n - 1L) * (n - 2L);
  }

  /** An upper bound on the signature checks SM(m) can need: every message carries at most m+1 signatures. */
  public static long smSignatureChecksUpperBound(int n, int m) {
    return smUpperBound(n, m) * (m + 1L);
  }
}
