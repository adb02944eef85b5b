package io.raftring.bft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run. Generals are numbered 0..n-1 and general 0 is the commander; {@code traitors} lists the ids of the
 * traitors, who all follow {@code strategy}. {@code unsafe} allows OM with n < 3m+1 (to watch it fail); without it
 * such a request is refused.
 */
public record BftRunRequest(
    Algorithm algorithm,
    int n,
    int m,
    List<Integer> traitors,
    Order commanderOrder,
    TraitorStrategy strategy,
    long seed,
    boolean trace,
    boolean unsafe) {

  /** The commander is always general 0. */
  public static final int COMMANDER = 0;
  /** Largest number of generals accepted at all. */
  public static final int MAX_GENERALS = 64;
  /**
   * OM's message count grows like n^(m+1); runs above this many messages (closed form) are refused. The bound keeps
   * one run near a CPU-second (README, "Byzantine generals", has the measurement).
   */
  public static final long MAX_OM_MESSAGES = 250_000;
  /**
   * SM runs whose closed-form bound on signature checks passes this are refused; the bound keeps one run near a
   * CPU-second (Ed25519 checks dominate; README, "Byzantine generals").
   */
  public static final long MAX_SM_SIGNATURE_CHECKS = 3_000;
  /** A trace is returned only for runs of at most this many messages. */
  public static final long MAX_TRACED_MESSAGES = 10_000;

  public BftRunRequest {
    traitors = traitors == null ? List.of() : List.copyOf(traitors);
    if (commanderOrder == null) commanderOrder = Order.ATTACK;
    if (strategy == null) strategy = TraitorStrategy.ALWAYS_OPPOSITE;
  }

  public static BftRunRequest of(
      Algorithm algorithm, int n, int m, List<Integer> traitors, Order commanderOrder, TraitorStrategy strategy) {
    return new BftRunRequest(algorithm, n, m, traitors, commanderOrder, strategy, 42L, false, false);
  }

  public BftRunRequest withSeed(long newSeed) {
    return new BftRunRequest(algorithm, n, m, traitors, commanderOrder, strategy, newSeed, trace, unsafe);
  }

  public BftRunRequest withTrace(boolean on) {
    return new BftRunRequest(algorithm, n, m, traitors, commanderOrder, strategy, seed, on, unsafe);
  }

  public BftRunRequest withUnsafe(boolean on) {
    return new BftRunRequest(algorithm, n, m, traitors, commanderOrder, strategy, seed, trace, on);
  }

  public Set<Integer> traitorSet() {
    return new TreeSet<>(traitors);
  }

  public boolean isTraitor(int id) {
    return traitors.contains(id);
  }

  public int rounds() {
    return m + 1;
  }

  /**
   * Checks the request and returns the warnings a valid but unsafe run carries.
   *
   * @throws BftRequestException saying what is wrong
   */
  public List<String> validate() {
    if (algorithm == null) throw new BftRequestException("algorithm is required (om or sm)");
    if (n < 2) throw new BftRequestException("n must be at least 2");
    if (n > MAX_GENERALS) throw new BftRequestException("n must be at most " + MAX_GENERALS);
    if (m < 0) throw new BftRequestException("m must be at least 0");
    if (m >= n) throw new BftRequestException("m must be less than n (m=" + m + ", n=" + n + ")");
    Set<Integer> seen = new HashSet<>();
    for (Integer t : traitors) {
      if (t == null || t < 0 || t >= n) {
        throw new BftRequestException("traitor id " + t + " is out of range 0.." + (n - 1) + " (0 is the commander)");
      }
      if (!seen.add(t)) throw new BftRequestException("traitor id " + t + " is listed twice");
    }
    List<String> warnings = new ArrayList<>();
    long messages;
    if (algorithm == Algorithm.OM) {
      if (n < 3 * m + 1) {
        String why = "OM(" + m + ") needs n >= 3m+1 = " + (3 * m + 1) + " generals, but n=" + n;
        if (!unsafe) throw new BftRequestException(why + "; set unsafe to run it anyway and watch it fail");
        warnings.add(why + ": IC1 and IC2 are not guaranteed");
      }
      messages = MessageCounts.omTotal(n, m);
      if (messages > MAX_OM_MESSAGES) {
        throw new BftRequestException(
            "OM with n=" + n + " and m=" + m + " would send " + (messages == Long.MAX_VALUE ? "more than 2^63" : messages)
                + " messages; the limit is " + MAX_OM_MESSAGES);
      }
    } else {
      long checks = MessageCounts.smSignatureChecksUpperBound(n, m);
      if (checks > MAX_SM_SIGNATURE_CHECKS) {
        throw new BftRequestException(
            "SM with n=" + n + " and m=" + m + " could need " + checks + " signature checks; the limit is "
                + MAX_SM_SIGNATURE_CHECKS);
      }
      messages = MessageCounts.smUpperBound(n, m);
    }
    if (trace && messages > MAX_TRACED_MESSAGES) {
      throw new BftRequestException(
          "trace is limited to runs of at most " + MAX_TRACED_MESSAGES + " messages; this one may send " + messages);
    }
    if (traitors.size() > m) {
      warnings.add(traitors.size() + " traitors but m=" + m + ": the algorithm only tolerates up to m");
    }
    return warnings;
  }
}
