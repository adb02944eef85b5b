package io.raftring.storage;

import akka.dispatch.Futures;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import scala.concurrent.Future;
import scala.concurrent.Promise;

/** Bridges the store's CompletionStages to the Scala Futures that the Akka plugin APIs return. */
final class ScalaFutures {

  private ScalaFutures() {}

  /** Like FutureConverters.asScala, but fails with the original cause rather than its CompletionException wrapper. */
  static <T> Future<T> fromJava(CompletionStage<T> stage) {
    Promise<T> promise = Futures.promise();
    stage.whenComplete((value, failure) -> {
      if (failure == null) {
        promise.success(value);
      } else {
        promise.failure(unwrap(failure));
      }
    });
    return promise.future();
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
