package io.raftring.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.dashboard.RequestTotals;
import io.raftring.metrics.Counter;
import io.raftring.metrics.Histogram;
import io.raftring.metrics.MetricsRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Records every request in {@code raftring_http_requests_total{route,method,status}} and
 * {@code raftring_http_request_duration_seconds{route,method}} (time until the response headers are ready). The
 * route label is a template of few values ({@code /v1/kv/{key}}, never the key itself), so a client cannot blow up
 * the number of series; methods outside the usual ones count as OTHER. Error answers are also counted by their error
 * code in {@code raftring_http_errors_total{route,code}} (503 alone could be NO_QUORUM, NOT_READY or OVERLOADED). Wrap
 * the routes with their error handling inside, so rejections and failures are counted with the status they were
 * answered with.
 */
public final class HttpMetrics extends AllDirectives {

  public static final String REQUESTS = "raftring_http_requests_total";
  public static final String DURATION = "raftring_http_request_duration_seconds";
  public static final String ERRORS = "raftring_http_errors_total";

  /** The route templates of the key-value API, whose traffic the dashboard shows. */
  private static final Set<String> KV_ROUTES = Set.of("/v1/kv", "/v1/kv/{key}");

  private static final Set<String> FIXED_ROUTES =
      Set.of("/v1/kv", "/v1/txn", "/v1/cluster", "/health/alive", "/health/ready", "/metrics", "/v1/bft/run",
          "/v1/watch", "/v1/watch/ws", "/v1/leases", "/v1/leases/keepalive");
  private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH");

  private final Counter requests;
  private final Histogram duration;
  private final Counter errors;

  public HttpMetrics(MetricsRegistry registry) {
    this.requests = registry.counter(REQUESTS, "HTTP requests answered, by route template, method and status.",
        "route", "method", "status");
    this.duration = registry.histogram(DURATION, "Time to answer HTTP requests, by route template and method.",
        Histogram.LATENCY_BUCKETS_SECONDS, "route", "method");
    this.errors = registry.counter(ERRORS, "HTTP error answers, by route template and error code.", "route", "code");
  }

  /** {@code inner}, with every answer it gives counted and timed. */
  public Route instrument(Route inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String route = routeTemplate(request.getUri().path());
      String method = method(request);
      return mapResponse(response -> {
        duration.labels(route, method).observeNanos(System.nanoTime() - start);
        requests.labels(route, method, Integer.toString(response.status().intValue())).inc();
        response.getAttribute(HttpErrors.ERROR_CODE).ifPresent(code -> errors.labels(route, code).inc());
        return response;
      }, () -> inner);
    });
  }

  /**
   * The key-value API's requests so far, any method: answers, error answers by code, latency buckets. Read from the
   * same counters the requests update, so reading costs the requests nothing.
   */
  public RequestTotals kvTotals() {
    long[] answered = {0};
    requests.forEachChild((labels, child) -> {
      if (KV_ROUTES.contains(labels.get(0))) {
        answered[0] += child.value();
      }
    });
    Map<String, Long> errorsByCode = new TreeMap<>();
    errors.forEachChild((labels, child) -> {
      if (KV_ROUTES.contains(labels.get(0))) {
        errorsByCode.merge(labels.get(1), child.value(), Long::sum);
      }
    });
    double[] bounds = duration.upperBounds();
    long[] buckets = new long[bounds.length + 1];
    duration.forEachChild((labels, child) -> {
      if (KV_ROUTES.contains(labels.get(0))) {
        long[] counts = child.bucketCounts();
        for (int i = 0; i < buckets.length; i++) {
          buckets[i] += counts[i];
        }
      }
    });
    return new RequestTotals(answered[0], errorsByCode, bounds, buckets);
  }

  /** The low-cardinality template of a request path; anything unknown is "other". */
  static String routeTemplate(String path) {
    if (path.startsWith("/v1/kv/")) {
      return "/v1/kv/{key}";
    }
    if (path.startsWith("/v1/txn/")) {
      return "/v1/txn/{id}";
    }
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (FIXED_ROUTES.contains(trimmed)) {
      return trimmed;
    }
    if (trimmed.startsWith("/v1/leases/")) {
      return trimmed.endsWith("/keepalive") ? "/v1/leases/{id}/keepalive" : "/v1/leases/{id}";
    }
    if (trimmed.startsWith("/v1/locks/")) {
      return "/v1/locks/{name}";
    }
    if (trimmed.startsWith("/v1/elections/")) {
      return "/v1/elections/{name}";
    }
    return "other";
  }

  private static String method(HttpRequest request) {
    String method = request.method().value();
    return METHODS.contains(method) ? method : "OTHER";
  }
}
