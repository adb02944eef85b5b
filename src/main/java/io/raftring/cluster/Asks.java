package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Akka's ask, answered on a plain {@link CompletableFuture}. The stage {@link AskPattern#ask} returns is Scala's
 * future seen as a CompletionStage, and it runs even {@code thenApply} and {@code whenComplete} callbacks
 * asynchronously on the default executor: {@code ForkJoinPool.commonPool()}, or, on a machine with fewer than three
 * cores, a new thread per callback. Measured on the 2-core build machine (AskReplyBenchmark): 112 us and one thread
 * started per ask, against 9 us with the callback run where the reply completes. Every ask on a request's path goes
 * through here.
 *
 * <p>The answer completes on the thread that replied, often a replica's, so what the caller chains on it (routing, the
 * HTTP response) runs there: it must be short and must not block. Completing it on the dispatcher instead was
 * measured and did not pay: 5,985 against 6,316 puts/s at 64 clients, G = 1 (one run each, the steps
 * `bench/put-bench.sh` now scripts).
 */
public final class Asks {

  private Asks() {}

  public static <Req, Res> CompletableFuture<Res> ask(RecipientRef<Req> target,
      akka.japi.function.Function<ActorRef<Res>, Req> request, Duration timeout, ActorSystem<?> system) {
    CompletableFuture<Res> result = new CompletableFuture<>();
    AskPattern.ask(target, request, timeout, system.scheduler()).whenCompleteAsync((reply, error) -> {
      if (error == null) {
        result.complete(reply);
      } else {
        result.completeExceptionally(error);
      }
    }, Runnable::run);
    return result;
  }
}
