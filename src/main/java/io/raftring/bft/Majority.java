package io.raftring.bft;

import java.util.Collection;

/** OM's majority vote over the orders a lieutenant collected. A tie (or no votes) resolves to RETREAT. */
public final class Majority {
  private Majority() {}

  public static Order of(Collection<Order> votes) {
    int attack = 0;
    int retreat = 0;
    for (Order o : votes) {
      if (o == Order.ATTACK) attack++;
      else retreat++;
    }
    return attack > retreat ? Order.ATTACK : Order.RETREAT;
  }
}
