package io.raftring.http;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every API route reads from a request the same way: its deadline ({@code ?timeout=}) and its parameters. */
final class RequestOptions {

  private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s)?");
  /** ASCII digits only: Long.parseLong would also take "+7" and digits of other scripts. */
  static final Pattern DIGITS = Pattern.compile("\\d+");

  private RequestOptions() {}

  /**
   * {@code ?timeout=500ms|2s|1500} (milliseconds when no unit), at most {@code max}; {@code fallback} when absent.
   * Anything else is a BAD_REQUEST.
   */
  static Duration timeout(RawTarget target, Duration fallback, Duration max) {
    Optional<String> text = target.parameter("timeout");
    if (text.isEmpty()) {
      return fallback;
    }
    Matcher m = TIMEOUT.matcher(text.get());
    if (!m.matches()) {
      throw badRequest("timeout must look like 500ms, 2s or 1500 (milliseconds), was '" + text.get() + "'");
    }
    long amount = Long.parseLong(m.group(1));
    Duration timeout = "s".equals(m.group(2)) ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    if (timeout.isZero()) {
      throw badRequest("timeout must be positive");
    }
    if (timeout.compareTo(max) > 0) {
      throw badRequest("timeout must be at most " + max.toMillis() + "ms, was " + text.get());
    }
    return timeout;
  }

  /** Refuses unknown query parameters, so a misspelt one never changes what a request means. */
  static void requireOnly(RawTarget target, Set<String> allowed) {
    for (String name : target.parameterNames()) {
      if (!allowed.contains(name)) {
        throw badRequest("unknown query parameter '" + name + "'; this endpoint takes "
            + allowed.stream().sorted().toList());
      }
    }
  }

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
