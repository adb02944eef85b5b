package io.raftring.bft;

import java.util.Set;

/**
 * SM's deterministic choice over the set V of orders a lieutenant accepted: RETREAT for the empty set, the order
 * itself for a singleton, and RETREAT when both orders are present (the commander is then provably a traitor, and
 * every loyal lieutenant holds the same V, so they all choose alike).
 */
public final class ChoiceFunction {
  private ChoiceFunction() {}

  public static Order choose(Set<Order> accepted) {
    if (accepted.size() == 1) return accepted.iterator().next();
    return Order.RETREAT;
  }
}
