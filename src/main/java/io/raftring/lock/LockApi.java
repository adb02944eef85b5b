package io.raftring.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Distributed locks on leases, as etcd's {@code concurrency.Mutex}: contenders queue in the order they asked (by the
 * create revision of their key {@code _locks/{NAME}/<lease>}), the oldest holds the lock, and holds it until it
 * unlocks or its lease ends (revoked, or expired because it stopped sending keep-alives). The fencing token that comes
 * with ownership grows with every new owner.
 */
public interface LockApi {

  /**
   * Waits until {@code lease} holds lock {@code name}. Fails with NOT_FOUND when the lease is gone, TIMEOUT when the
   * deadline passes first: the lease keeps its place in the queue, and asking again with it resumes the wait.
   */
  CompletionStage<Ownership> lock(String name, long lease, Duration timeout);

  /** Leaves the queue or gives the lock up; true if the lease was in it. */
  CompletionStage<Boolean> unlock(String name, long lease, Duration timeout);

  /** Who holds the lock now, if anyone. */
  CompletionStage<Optional<Ownership>> holder(String name, Duration timeout);
}
