package io.raftring.http;

import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.admission.Admission;
import io.raftring.admission.InFlightLimiter;
import io.raftring.admission.RateLimits;
import io.raftring.api.ErrorCode;
import io.raftring.metrics.Counter;
import io.raftring.metrics.MetricsRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Puts admission control in front of the KV routes: a rate limit per client and per node (429 with Retry-After),
 * checked before the body is read; then the body, read in full ({@link RequestBodies}); then a slot among the
 * requests in flight (503 OVERLOADED with Retry-After when the queue is full or the wait ran out). A slow upload
 * therefore never holds a slot: it holds only its connection and its share of the body budget, and only for the
 * body read timeout. Refusals happen before any Raft work is done. The slot is released however the request ends:
 * response, rejection or failure.
 */
final class AdmissionGuard extends AllDirectives {

  /** Clients name themselves with this header; otherwise their address is their name. */
  static final String API_KEY_HEADER = "X-Api-Key";

  private static final Executor SAME_THREAD = Runnable::run;

  private final Admission admission;
  private final RequestBodies bodies;
  private final long maxBodyBytes;
  private final HttpErrors errors;
  private final Duration requestTimeout;
  private final Counter.Child rateLimited;
  private final Counter.Child queueFull;
  private final Counter.Child queueTimeout;

  AdmissionGuard(Admission admission, RequestBodies bodies, long maxBodyBytes, HttpErrors errors,
      Duration requestTimeout, MetricsRegistry metrics) {
    this.admission = admission;
    this.bodies = bodies;
    this.maxBodyBytes = maxBodyBytes;
    this.errors = errors;
    this.requestTimeout = requestTimeout;
    Counter refused = metrics.counter("raftring_admission_refused_total",
        "Requests refused by admission control before any work, by reason.", "reason");
    this.rateLimited = refused.labels("rate_limited");
    this.queueFull = refused.labels("queue_full");
    this.queueTimeout = refused.labels("queue_timeout");
    metrics.gauge("raftring_admission_in_flight", "Requests being worked on.",
        () -> (long) admission.inFlight().inFlight());
    metrics.gauge("raftring_admission_queued", "Requests waiting for a slot.",
        () -> (long) admission.inFlight().queued());
  }

  Route guard(Route inner) {
    return optionalHeaderValueByName(API_KEY_HEADER, apiKey -> extractClientIP(ip -> extractRequest(request -> {
      String client = apiKey.orElseGet(() -> ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown"));
      RateLimits.Decision rate = admission.admitRate(client);
      if (!rate.admitted()) {
        rateLimited.inc();
        long seconds = Math.max(1, (rate.retryAfterNanos() + 999_999_999L) / 1_000_000_000L);
        return complete(errors.response(ErrorCode.RATE_LIMITED, "rate limit of " + rate.refusedBy() + " exceeded")
            .removeHeader("Retry-After")
            .addHeader(RawHeader.create("Retry-After", Long.toString(seconds))));
      }
      boolean write = !request.method().equals(HttpMethods.GET);
      boolean hasBody = request.method().isEntityAccepted() && !request.method().equals(HttpMethods.DELETE);
      return hasBody ? bodies.strict(maxBodyBytes, body -> admitted(write, inner)) : admitted(write, inner);
    })));
  }

  /** {@code inner} once it has a slot among the requests in flight; 503 OVERLOADED if it gets none in time. */
  private Route admitted(boolean write, Route inner) {
      return onComplete(admission.acquire(write, requestTimeout), permit -> {
        if (permit.isFailure()) {
          Throwable cause = permit.failed().get();
          boolean full = cause instanceof InFlightLimiter.Refused r && r.queueFull();
          (full ? queueFull : queueTimeout).inc();
          return complete(errors.response(ErrorCode.OVERLOADED, cause.getMessage()));
        }
        InFlightLimiter.Permit slot = permit.get();
        // The result is a Scala future seen as a CompletionStage, whose whenComplete runs its callback
        // asynchronously on the default executor: ForkJoinPool.commonPool(), or with fewer than three cores a new
        // thread per call (CompletableFuture's ThreadPerTaskExecutor). Releasing the slot is a few instructions, so
        // it runs on the thread that completes the route instead.
        return mapRouteResultFuture(result -> result.whenCompleteAsync((r, e) -> slot.close(), SAME_THREAD),
            () -> inner);
      });
  }
}
