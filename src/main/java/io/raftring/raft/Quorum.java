package io.raftring.raft;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Majority arithmetic over a set of voters. */
public final class Quorum {

  private Quorum() {}

  /** The smallest number of voters that is a majority of {@code voters}. */
  public static int majority(int voters) {
    if (voters < 1) {
      throw new IllegalArgumentException("a group needs at least one voter, got " + voters);
    }
    return voters / 2 + 1;
  }

  public static boolean isMajority(int granted, int voters) {
    return granted >= majority(voters);
  }

  /** Whether the nodes in {@code acks} that are voters form a majority of {@code voters}. */
  public static boolean isMajority(Collection<String> acks, Set<String> voters) {
    return isMajority((int) acks.stream().filter(voters::contains).distinct().count(), voters.size());
  }

  /**
   * The highest index that a majority of voters have stored: the majority-th largest match index. A voter missing
   * from {@code matchIndex} counts as having stored nothing. The caller still applies the current-term rule of
   * section 5.4.2 (Figure 8) before committing it.
   */
  public static long quorumIndex(Map<String, Long> matchIndex, Set<String> voters) {
    return quorumIndex(voters, v -> matchIndex.getOrDefault(v, 0L));
  }

  /**
   * As above, reading each voter's index through {@code indexOf}: the leader's form, which runs on every
   * acknowledgement and so builds no map.
   */
  public static long quorumIndex(Set<String> voters, ToLongFunction<String> indexOf) {
    long[] matches = new long[voters.size()];
    int i = 0;
    for (String voter : voters) {
      matches[i++] = indexOf.applyAsLong(voter);
    }
    Arrays.sort(matches);
    return matches[matches.length - majority(matches.length)];
  }
}
