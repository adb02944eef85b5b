package io.raftring.bft;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The two interactive consistency conditions. IC1: all loyal lieutenants decide alike. IC2: if the commander is loyal,
 * every loyal lieutenant decides the commander's order. Both hold vacuously when nobody is there to break them.
 */
public record InteractiveConsistency(boolean ic1, boolean ic2) {

  /**
   * @param decisions the decision of every lieutenant (traitors may be missing or null; they are ignored)
   */
  public static InteractiveConsistency evaluate(
      int commander, Order commanderOrder, Set<Integer> traitors, Map<Integer, Order> decisions) {
    Order first = null;
    boolean ic1 = true;
    boolean ic2 = true;
    boolean commanderLoyal = !traitors.contains(commander);
    for (Map.Entry<Integer, Order> e : decisions.entrySet()) {
      int id = e.getKey();
      if (id == commander || traitors.contains(id)) continue;
      Order d = Objects.requireNonNull(e.getValue(), "loyal lieutenant without decision");
      if (first == null) first = d;
      else if (first != d) ic1 = false;
      if (commanderLoyal && d != commanderOrder) ic2 = false;
    }
    return new InteractiveConsistency(ic1, ic2);
  }
}
