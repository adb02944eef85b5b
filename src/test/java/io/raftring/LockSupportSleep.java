package io.raftring;

import java.util.concurrent.locks.LockSupport;

/** Waits in the cluster tests that pace clients (keep-alives every so often): bounded, never in unit tests. */
final class LockSupportSleep {

  private LockSupportSleep() {}

  static void park(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
