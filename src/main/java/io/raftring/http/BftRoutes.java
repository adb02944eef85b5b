package io.raftring.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.api.ErrorCode;
import io.raftring.bft.Algorithm;
import io.raftring.bft.BftRequestException;
import io.raftring.bft.BftRunFailedException;
import io.raftring.bft.BftRunRequest;
import io.raftring.bft.ByzantineAgreement;
import io.raftring.bft.Order;
import io.raftring.bft.TraitorStrategy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /v1/bft/run}: runs one Byzantine agreement and answers with its {@link io.raftring.bft.BftRunResult}.
 * Body: {@code {"algorithm":"om"|"sm","n":7,"m":2,"traitors":[2,5],"commander_order":"attack",
 * "strategy":"two-faced","seed":42,"trace":false,"unsafe":false}}; algorithm, n and m are required. Bad input gets
 * 400 {@code {"error":"BAD_REQUEST","message":...}}; a run that times out gets 503 TIMEOUT.
 */
public final class BftRoutes extends AllDirectives {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("algorithm", "n", "m", "traitors", "commander_order", "strategy", "seed", "trace", "unsafe");

  private final ByzantineAgreement agreement;
  private final RequestBodies bodies;

  BftRoutes(ActorSystem<?> system, RequestBodies bodies) {
    this(new ByzantineAgreement(system), bodies);
  }

  BftRoutes(ByzantineAgreement agreement, RequestBodies bodies) {
    this.agreement = agreement;
    this.bodies = bodies;
  }

  public Route route() {
    return path(
        PathMatchers.segment("v1").slash("bft").slash("run"),
        () -> post(() -> bodies.json(this::run)));
  }

  /** Errors answer like every other route: one code-to-status table (a run that timed out is 504 TIMEOUT). */
  private static final HttpErrors ERRORS = new HttpErrors(java.time.Duration.ofSeconds(1));

  private Route run(JsonNode body) {
    BftRunRequest request;
    try {
      request = parse(body);
      request.validate();
    } catch (BftRequestException e) {
      return complete(ERRORS.response(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    return onComplete(
        () -> agreement.run(request),
        outcome -> {
          if (outcome.isSuccess()) return complete(StatusCodes.OK, outcome.get(), Jackson.marshaller(MAPPER));
          Throwable cause = outcome.failed().get();
          if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
          if (cause instanceof BftRequestException) {
            return complete(ERRORS.response(ErrorCode.BAD_REQUEST, cause.getMessage()));
          }
          if (cause instanceof BftRunFailedException) {
            return complete(ERRORS.response(ErrorCode.TIMEOUT, cause.getMessage()));
          }
          return complete(ERRORS.response(ErrorCode.INTERNAL, "run failed: " + cause));
        });
  }

  /** Reads the JSON body into a request, saying precisely which field is wrong. */
  static BftRunRequest parse(JsonNode json) {
    if (!json.isObject()) throw new BftRequestException("body must be a JSON object");
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) throw new BftRequestException("unknown field '" + name + "'");
    }
    Algorithm algorithm = Algorithm.parse(text(json, "algorithm", null, true));
    int n = integer(json, "n");
    int m = integer(json, "m");
    List<Integer> traitors = new ArrayList<>();
    JsonNode t = json.get("traitors");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) throw new BftRequestException("traitors must be an array of general ids");
      for (JsonNode id : t) {
        if (!id.isInt()) throw new BftRequestException("traitors must be an array of general ids");
        traitors.add(id.intValue());
      }
    }
    Order order = Order.parse(text(json, "commander_order", "attack", false));
    TraitorStrategy strategy = TraitorStrategy.parse(text(json, "strategy", "always-opposite", false));
    long seed = 42;
    JsonNode s = json.get("seed");
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber() || !s.canConvertToLong()) throw new BftRequestException("seed must be an integer");
      seed = s.longValue();
    }
    return new BftRunRequest(
        algorithm, n, m, traitors, order, strategy, seed, bool(json, "trace"), bool(json, "unsafe"));
  }

  private static String text(JsonNode json, String field, String fallback, boolean required) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      if (required) throw new BftRequestException(field + " is required");
      return fallback;
    }
    if (!v.isTextual()) throw new BftRequestException(field + " must be a string");
    return v.textValue();
  }

  private static int integer(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) throw new BftRequestException(field + " is required");
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new BftRequestException(field + " must be an integer");
    return v.intValue();
  }

  private static boolean bool(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) return false;
    if (!v.isBoolean()) throw new BftRequestException(field + " must be true or false");
    return v.booleanValue();
  }
}
