package io.raftring.http;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What every API route does with a request the same way: its deadline held to ({@link #withDeadline}), its numbers
 * read ({@link #DIGITS}); the deadline and the parameters themselves are read by {@link RawTarget}.
 */
final class RequestOptions {

  /** ASCII digits only: Long.parseLong would also take "+7" and digits of other scripts. */
  static final Pattern DIGITS = Pattern.compile("\\d+");

  private RequestOptions() {}

  /** The API's stage, failed with TIMEOUT should it still be pending a little after the deadline. */
  static <T> CompletionStage<T> withDeadline(Supplier<CompletionStage<T>> call, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      call.get().whenComplete((value, failure) -> {
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(value);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result.orTimeout(timeout.plus(KvRoutes.DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
  }

  static RaftRingException badRequest(String message) {
    return new RaftRingException(ErrorCode.BAD_REQUEST, message);
  }
}
