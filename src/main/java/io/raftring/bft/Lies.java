package io.raftring.bft;

import java.util.List;
import java.util.SplittableRandom;

/** Deterministic coin flips for the random strategy: the same seed, sender, receiver and path give the same lie. */
final class Lies {
  private Lies() {}

  static Order randomOrder(long seed, int sender, int receiver, List<Integer> path) {
    long mix = seed;
    mix = mix * 0x9E3779B97F4A7C15L + sender;
    mix = mix * 0x9E3779B97F4A7C15L + receiver;
    mix = mix * 0x9E3779B97F4A7C15L + path.hashCode();
    return new SplittableRandom(mix).nextBoolean() ? Order.ATTACK : Order.RETREAT;
  }

  /** Two-faced traitors split receivers by parity of their id. */
  static boolean evenReceiver(int receiver) {
    return receiver % 2 == 0;
  }
}
