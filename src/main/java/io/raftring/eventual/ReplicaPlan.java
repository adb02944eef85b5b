package io.raftring.eventual;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where one request for a key goes. The key's home replicas are its preference list: the first N distinct nodes
 * clockwise from the key on the ring. Those that are up and reachable take the request themselves; for each that is
 * not, the next reachable node clockwise outside the preference list stands in (sloppy quorum) and keeps what it
 * receives as a hint naming the home replica it stands in for.
 *
 * @param home the preference list, nearest first
 * @param liveHome the home replicas that are up and reachable, in preference order
 * @param fallbacks stand-ins for the home replicas that are not, in the order of those replicas
 */
public record ReplicaPlan(List<String> home, List<String> liveHome, List<Fallback> fallbacks) {

  /** A node holding writes for {@code owner} until it is back. */
  public record Fallback(String node, String owner) {}

  public ReplicaPlan {
    home = List.copyOf(home);
    liveHome = List.copyOf(liveHome);
    fallbacks = List.copyOf(fallbacks);
  }

  /**
   * @param clockwise every member of the ring, clockwise from the key (its first {@code n} are the home replicas)
   * @param live whether a node is up and reachable from here
   */
  public static ReplicaPlan of(List<String> clockwise, int n, Predicate<String> live) {
    List<String> home = clockwise.subList(0, Math.min(n, clockwise.size()));
    List<String> liveHome = new ArrayList<>();
    List<String> down = new ArrayList<>();
    for (String node : home) {
      (live.test(node) ? liveHome : down).add(node);
    }
    List<Fallback> fallbacks = new ArrayList<>();
    for (int i = home.size(); i < clockwise.size() && fallbacks.size() < down.size(); i++) {
      String candidate = clockwise.get(i);
      if (live.test(candidate)) {
        fallbacks.add(new Fallback(candidate, down.get(fallbacks.size())));
      }
    }
    return new ReplicaPlan(home, liveHome, fallbacks);
  }

  /** How many distinct nodes can answer now: live home replicas and stand-ins. */
  public int reachable() {
    return liveHome.size() + fallbacks.size();
  }

  /** Home replicas with neither a live node nor a stand-in: their writes can only wait in the coordinator's hints. */
  public List<String> uncovered() {
    Set<String> covered = new java.util.HashSet<>(liveHome);
    fallbacks.forEach(f -> covered.add(f.owner()));
    return home.stream().filter(node -> !covered.contains(node)).toList();
  }

  public boolean isHome(String node) {
    return home.contains(node);
  }
}
