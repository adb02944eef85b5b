package io.raftring.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.admission.RateLimits;
import io.raftring.api.ErrorCode;

/**
 * Operators change a node's rate limits at runtime: {@code GET /v1/admin/rate-limits} shows them,
 * {@code PUT /v1/admin/rate-limits} with {"per_client_rate", "per_client_burst", "per_node_rate", "per_node_burst"}
 * (requests per second and burst counts; a rate of 0 means unlimited; omitted fields keep their value) replaces
 * them. Bad input gets 400 and changes nothing.
 */
final class AdminRoutes extends AllDirectives {

  private static final String PATH = "rate-limits";
  private final RateLimits rateLimits;
  private final RequestBodies bodies;
  private final HttpErrors errors = new HttpErrors(java.time.Duration.ofSeconds(1));

  AdminRoutes(RateLimits rateLimits, RequestBodies bodies) {
    this.rateLimits = rateLimits;
    this.bodies = bodies;
  }

  Route route() {
    return pathPrefix("v1", () -> pathPrefix("admin", () -> path(PATH, () -> concat(
        get(() -> complete(StatusCodes.OK, Json.entity(render(rateLimits.limits())))),
        put(() -> bodies.json(this::update))))));
  }

  private Route update(JsonNode json) {
    RateLimits.Limits current = rateLimits.limits();
    RateLimits.Limits next;
    try {
      if (!json.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      json.fieldNames().forEachRemaining(f -> {
        if (!f.matches("per_client_rate|per_client_burst|per_node_rate|per_node_burst")) {
          throw new IllegalArgumentException("unknown field " + f);
        }
      });
      next = new RateLimits.Limits(
          number(json, "per_client_rate", current.perClientRate()),
          number(json, "per_client_burst", current.perClientBurst()),
          number(json, "per_node_rate", current.perNodeRate()),
          number(json, "per_node_burst", current.perNodeBurst()));
    } catch (IllegalArgumentException e) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    rateLimits.update(next);
    return complete(StatusCodes.OK, Json.entity(render(next)));
  }

  private static double number(JsonNode json, String field, double fallback) {
    JsonNode n = json.get(field);
    if (n == null) {
      return fallback;
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
      throw new IllegalArgumentException(field + " must be a finite number, was " + n);
    }
    return n.asDouble();
  }

  private static ObjectNode render(RateLimits.Limits l) {
    return Json.object()
        .put("per_client_rate", l.perClientRate())
        .put("per_client_burst", l.perClientBurst())
        .put("per_node_rate", l.perNodeRate())
        .put("per_node_burst", l.perNodeBurst());
  }
}
