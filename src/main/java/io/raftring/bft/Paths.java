package io.raftring.bft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/** Small helpers for message paths (lists of general ids). */
final class Paths {
  private Paths() {}

  /** Shorter paths first, then lexicographic. */
  static final Comparator<List<Integer>> COMPARATOR =
      (a, b) -> {
        if (a.size() != b.size()) return Integer.compare(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          int c = Integer.compare(a.get(i), b.get(i));
          if (c != 0) return c;
        }
        return 0;
      };

  static List<Integer> append(List<Integer> path, int id) {
    List<Integer> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(id);
    return List.copyOf(out);
  }

  static boolean distinct(List<Integer> path) {
    return new HashSet<>(path).size() == path.size();
  }

  static String format(List<Integer> path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) sb.append('>');
      sb.append(path.get(i));
    }
    return sb.toString();
  }
}
