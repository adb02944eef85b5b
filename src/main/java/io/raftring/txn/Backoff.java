package io.raftring.txn;

import java.time.Duration;

/**
 * The pause before trying a transaction step again: 2 ms, doubling with each try, at most 50 ms. A prepare or commit
 * takes one Raft round (milliseconds), so a lock usually clears within a few pauses; the cap keeps a waiter polling
 * often enough to notice.
 */
final class Backoff {

  static final long FIRST_MILLIS = 2;
  static final long MAX_MILLIS = 50;

  private Backoff() {}

  /** The pause after {@code tries} tries so far. */
  static Duration after(int tries) {
    return Duration.ofMillis(Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(tries, 10)));
  }
}
