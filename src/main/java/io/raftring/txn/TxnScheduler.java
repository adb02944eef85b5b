package io.raftring.txn;

import java.time.Duration;

/** Runs a task later: the node's scheduler, or a manual one in tests. */
@FunctionalInterface
public interface TxnScheduler {

  void schedule(Duration delay, Runnable task);
}
