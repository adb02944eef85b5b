package io.raftring.cluster;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds every thread of an actor system's default dispatcher until closed: a burst of HTTP, watch or lease work on
 * that dispatcher, made total. A task handed to the dispatcher after the hold began tells whether it ever ran.
 */
final class DefaultDispatcherHold implements AutoCloseable {

  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch held;
  private final AtomicBoolean laterTaskRan = new AtomicBoolean();

  private DefaultDispatcherHold(Executor dispatcher, int threads) throws InterruptedException {
    held = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      dispatcher.execute(() -> {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    if (!held.await(20, TimeUnit.SECONDS)) {
      release.countDown();
      throw new IllegalStateException("only " + (threads - held.getCount()) + " of the default dispatcher's "
          + threads + " threads were taken");
    }
    dispatcher.execute(() -> laterTaskRan.set(true));
  }

  /** Takes every thread of {@code system}'s default dispatcher (a fork-join pool, as Akka's reference sets it). */
  static DefaultDispatcherHold of(ActorSystem<?> system) throws InterruptedException {
    Config pool = system.settings().config().getConfig("akka.actor.default-dispatcher.fork-join-executor");
    int threads = Math.min(pool.getInt("parallelism-max"), Math.max(pool.getInt("parallelism-min"),
        (int) Math.ceil(Runtime.getRuntime().availableProcessors() * pool.getDouble("parallelism-factor"))));
    return new DefaultDispatcherHold(system.executionContext(), threads);
  }

  /** Whether the dispatcher ran anything else since the hold began: then it was not held. */
  boolean laterTaskRan() {
    return laterTaskRan.get();
  }

  @Override
  public void close() {
    release.countDown();
  }
}
