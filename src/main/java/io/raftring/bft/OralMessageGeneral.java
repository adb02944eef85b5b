package io.raftring.bft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A general in OM(m), written as the exponential information gathering tree of the recursive definition.
 *
 * <p>A message's path names the chain of relays, commander first, sender last. In round 1 the commander sends its
 * order with path [c]. In round r+1 every lieutenant p relays, for each path s of length r that it should have received
 * (s starts with c, has distinct ids, does not contain p), the order it got for s, or RETREAT if it got none, with path
 * s+p, to every general not in s+p. Round r therefore has (n-1)(n-2)...(n-r) messages.
 *
 * <p>The decision unfolds OM(m) from the leaves: the value for path s is the order received for s if s has m+1 ids,
 * else the majority of that order and the values for s+q of every other lieutenant q of that sub-instance.
 */
public final class OralMessageGeneral extends GeneralLogic {
  private final Map<List<Integer>, Order> received = new HashMap<>();

  OralMessageGeneral(GeneralSpec spec) {
    super(spec);
  }

  @Override
  public List<BftMessage> messagesFor(int round) {
    List<BftMessage> out = new ArrayList<>();
    if (round > spec.m() + 1) return out;
    if (spec.isCommander()) {
      if (round == 1) {
        for (int q = 0; q < spec.n(); q++) {
          if (q != spec.id()) send(out, round, List.of(), spec.commanderOrder(), q);
        }
      }
      return out;
    }
    if (round == 1) return out;
    for (List<Integer> s : expectedPaths(round - 1)) {
      Order honest = received.getOrDefault(s, Order.DEFAULT);
      List<Integer> relayed = Paths.append(s, spec.id());
      for (int q = 0; q < spec.n(); q++) {
        if (!relayed.contains(q)) send(out, round, s, honest, q);
      }
    }
    return out;
  }

  /** Sends what {@code honest} becomes after this general's strategy, for the path {@code s + me}. */
  private void send(List<BftMessage> out, int round, List<Integer> s, Order honest, int to) {
    int me = spec.id();
    List<Integer> path = Paths.append(s, me);
    if (!spec.traitor()) {
      out.add(BftMessage.oral(round, me, to, honest, path));
      return;
    }
    switch (spec.strategy()) {
      case ALWAYS_OPPOSITE -> out.add(BftMessage.oral(round, me, to, honest.opposite(), path));
      case RANDOM -> out.add(BftMessage.oral(round, me, to, Lies.randomOrder(spec.seed(), me, to, path), path));
      case TWO_FACED -> out.add(
          BftMessage.oral(round, me, to, Lies.evenReceiver(to) ? honest : honest.opposite(), path));
      case SILENT -> {}
      case FORGING -> {
        // Claim the message comes from someone else: relayed by x instead of me (or, as commander, from x as
        // commander). Oral messages carry no proof, but the receiver knows who really sent it (A2).
        int x = impersonated(s, to);
        List<Integer> forgedPath = x < 0 ? path : Paths.append(s, x);
        out.add(BftMessage.oral(round, me, to, honest.opposite(), forgedPath));
      }
    }
  }

  private int impersonated(List<Integer> s, int to) {
    for (int x = 0; x < spec.n(); x++) {
      if (x != spec.id() && x != to && !s.contains(x)) return x;
    }
    return -1;
  }

  /** Paths of {@code length} ids this lieutenant should receive: start with the commander, distinct, without me. */
  List<List<Integer>> expectedPaths(int length) {
    List<List<Integer>> out = new ArrayList<>();
    extend(List.of(spec.commander()), length, out);
    return out;
  }

  private void extend(List<Integer> prefix, int length, List<List<Integer>> out) {
    if (prefix.size() == length) {
      out.add(prefix);
      return;
    }
    for (int q = 0; q < spec.n(); q++) {
      if (q != spec.id() && !prefix.contains(q)) extend(Paths.append(prefix, q), length, out);
    }
  }

  @Override
  protected TraceEntry receiveOne(int round, BftMessage msg) {
    List<Integer> path = msg.path();
    if (path.size() != round) return rejected(round, msg, "path length " + path.size() + " in round " + round);
    if (path.get(0) != spec.commander()) return rejected(round, msg, "path does not start at the commander");
    if (path.get(path.size() - 1) != msg.from()) {
      return rejected(round, msg, "claims to come from " + path.get(path.size() - 1) + " but was sent by " + msg.from());
    }
    if (!Paths.distinct(path) || path.contains(spec.id())) return rejected(round, msg, "path repeats a general");
    if (received.putIfAbsent(path, msg.order()) != null) return rejected(round, msg, "second message for this path");
    return accepted(round, msg);
  }

  @Override
  protected Order decideAsLieutenant() {
    return resolve(List.of(spec.commander()));
  }

  /** The value of the sub-instance of OM whose commander is the last id of {@code s}. */
  private Order resolve(List<Integer> s) {
    Order direct = received.getOrDefault(s, Order.DEFAULT);
    if (s.size() == spec.m() + 1) return direct;
    List<Order> votes = new ArrayList<>();
    votes.add(direct);
    for (int q = 0; q < spec.n(); q++) {
      if (q != spec.id() && !s.contains(q)) votes.add(resolve(Paths.append(s, q)));
    }
    return Majority.of(votes);
  }

  /** The orders received so far, by path (for tests). */
  Map<List<Integer>, Order> received() {
    return Map.copyOf(received);
  }
}
