package io.raftring.http;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.admission.Admission;
import io.raftring.admission.InFlightLimiter;
import io.raftring.admission.RateLimits;
import io.raftring.api.ErrorCode;
import io.raftring.metrics.Counter;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.security.Principal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
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

  private static final Executor SAME_THREAD = Runnable::run;

  private final Admission admission;
  private final RequestBodies bodies;
  private final long maxBodyBytes;
  private final TrustedProxies trustedProxies;
  private final HttpErrors errors;
  private final Duration requestTimeout;
  private final Counter.Child rateLimited;
  private final Counter.Child queueFull;
  private final Counter.Child queueTimeout;

  AdmissionGuard(Admission admission, RequestBodies bodies, HttpSettings settings, HttpErrors errors,
      MetricsRegistry metrics) {
    this.admission = admission;
    this.bodies = bodies;
    this.maxBodyBytes = settings.limits().maxValueBytes();
    this.trustedProxies = settings.trustedProxies();
    this.requestTimeout = settings.requestTimeout();
    this.errors = errors;
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
    return extractRequest(request -> {
      RateLimits.Decision rate = admission.admitRate(rateLimitIdentity(request));
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
    });
  }

  /**
   * Whose token bucket a request spends: the one place that names the caller for rate limiting. With authentication
   * on, the name of the caller's token ({@link SecurityGuard#caller}), so a caller has one bucket wherever it connects
   * from; without, the address it came from ({@link ClientAddress}: the connection's peer, or what trusted proxies
   * forwarded). Never anything the client merely claims.
   */
  String rateLimitIdentity(HttpRequest request) {
    Optional<Principal> caller = SecurityGuard.caller(request);
    if (caller.isPresent()) {
      return "token:" + caller.get().name();
    }
    Optional<InetAddress> peer = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress);
    if (peer.isEmpty()) {
      return "unknown"; // bound without remote-address-attribute: every such request shares one bucket
    }
    return ClientAddress.of(peer.get(), joined(request, "X-Forwarded-For"), joined(request, "X-Real-IP"),
        trustedProxies).getHostAddress();
  }

  /** All of a request's header lines of one name, joined by commas as RFC 9110 allows; empty if there are none. */
  private static Optional<String> joined(HttpRequest request, String name) {
    StringBuilder values = new StringBuilder();
    for (HttpHeader header : request.getHeaders()) {
      if (header.is(name.toLowerCase(java.util.Locale.ROOT))) {
        values.append(values.length() == 0 ? "" : ",").append(header.value());
      }
    }
    return values.length() == 0 ? Optional.empty() : Optional.of(values.toString());
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
