package io.raftring.bft;

import java.util.ArrayList;
import java.util.List;

/** Enumerates the cases of the exhaustive checks. */
final class Scenarios {
  private Scenarios() {}

  /** Every subset of 0..n-1 with at most {@code max} elements, smallest first. */
  static List<List<Integer>> traitorSets(int n, int max) {
    List<List<Integer>> out = new ArrayList<>();
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) > max) continue;
      List<Integer> set = new ArrayList<>();
      for (int i = 0; i < n; i++) if ((mask & (1 << i)) != 0) set.add(i);
      out.add(set);
    }
    out.sort((a, b) -> Integer.compare(a.size(), b.size()));
    return out;
  }

  static String describe(BftRunRequest r) {
    return r.algorithm().wireName() + "(m=" + r.m() + ") n=" + r.n() + " traitors=" + r.traitors() + " strategy="
        + r.strategy().wireName() + " order=" + r.commanderOrder().wireName();
  }
}
