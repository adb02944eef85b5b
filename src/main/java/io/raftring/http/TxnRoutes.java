package io.raftring.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.TxnApi;
import io.raftring.kv.KvLimits;
import io.raftring.txn.TxnRequest;
import java.time.Duration;
import java.util.Set;

/**
 * Transactions over HTTP, over {@link TxnApi}:
 *
 * <ul>
 *   <li>{@code POST /v1/txn[?timeout=2s]} with the JSON of {@link TxnJson}: 200
 *       {@code {"succeeded","results":[{"put":{"revision","prev_kv"}},{"get":{"kvs","count"}},...],"revision",
 *       "group","two_phase","txn_id"}}; 400/413 for a transaction that cannot run (nothing sent); 409 CONFLICT when
 *       another transaction's locks made it abort (with {@code txn_id} and Retry-After; nothing applied); 503 when a
 *       group could not take it (nothing applied); 504 TIMEOUT when its outcome is unknown, with {@code txn_id}.
 *   <li>{@code GET /v1/txn/{id}}: 200 {@code {"txn_id","state":"pending|committed|aborted|unknown","succeeded",
 *       "revision","participants","message"}}.
 * </ul>
 */
public final class TxnRoutes extends AllDirectives {

  private static final Set<String> PARAMETERS = Set.of("timeout");

  private final TxnApi txn;
  private final KvLimits limits;
  private final Duration requestTimeout;
  private final Duration maxRequestTimeout;
  private final JsonLimits bodyLimits;
  private final RequestBodies bodies;
  private final HttpErrors errors;

  TxnRoutes(TxnApi txn, HttpSettings settings, RequestBodies bodies, long maxTxnBytes) {
    this.txn = txn;
    this.limits = settings.limits();
    this.requestTimeout = settings.requestTimeout();
    this.maxRequestTimeout = settings.maxRequestTimeout();
    // A transaction may carry raftring.txn.max-bytes of keys and values: base64 makes them a third longer, and JSON
    // adds its syntax around them. The nesting bound is every JSON body's.
    this.bodyLimits = new JsonLimits(settings.json().maxDepth(),
        (int) Math.min(Integer.MAX_VALUE - 8, maxTxnBytes * 2 + 64 * 1024));
    this.bodies = bodies;
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return pathPrefix("v1", () -> pathPrefix("txn", () -> concat(
        pathEnd(() -> post(() -> extractRequest(this::execute))),
        path(PathMatchers.segment(), id -> get(() -> extractRequest(request -> status(request, id)))))));
  }

  private Route execute(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(PARAMETERS);
    Duration timeout = target.timeout(requestTimeout, maxRequestTimeout);
    return bodies.strict(bodyLimits.maxBytes(), entity -> {
      TxnRequest parsed = TxnJson.parse(Json.readBounded(entity.getData().toArray(), bodyLimits), limits);
      return completeWithFuture(errors.render(
          RequestOptions.withDeadline(() -> txn.execute(parsed, timeout), timeout),
          outcome -> json(TxnJson.completed(outcome))));
    });
  }

  private Route status(HttpRequest request, String id) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(PARAMETERS);
    Duration timeout = target.timeout(requestTimeout, maxRequestTimeout);
    return completeWithFuture(errors.render(RequestOptions.withDeadline(() -> txn.status(id, timeout), timeout),
        status -> json(TxnJson.status(status))));
  }

  private static HttpResponse json(ObjectNode body) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(body));
  }
}
