package io.raftring.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.admission.InFlightLimiter;
import io.raftring.api.ErrorCode;
import io.raftring.bft.Algorithm;
import io.raftring.bft.BftRequestException;
import io.raftring.bft.BftRunFailedException;
import io.raftring.bft.BftRunRequest;
import io.raftring.bft.BftRunResult;
import io.raftring.bft.BftSettings;
import io.raftring.bft.ByzantineAgreement;
import io.raftring.bft.Order;
import io.raftring.bft.TraitorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import scala.util.Try;

/**
 * {@code POST /v1/bft/run}: runs one Byzantine agreement and answers with its {@link io.raftring.bft.BftRunResult}.
 * Body: {@code {"algorithm":"om"|"sm","n":7,"m":2,"traitors":[2,5],"commander_order":"attack",
 * "strategy":"two-faced","seed":42,"trace":false,"unsafe":false}}; algorithm, n and m are required. Bad input, and a
 * run over the cost bounds of {@link BftRunRequest#validate()}, gets 400 {@code {"error":"BAD_REQUEST",...}}.
 *
 * <p>Runs are admitted like KV requests ({@link BftSettings}): at most {@code max-concurrent-runs} at once, at most
 * {@code max-queued-runs} waiting up to {@code queue-timeout}; beyond, 503 OVERLOADED with Retry-After. A run that
 * does not finish within {@code run-timeout} is stopped and answered 504 TIMEOUT.
 */
public final class BftRoutes extends AllDirectives {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("algorithm", "n", "m", "traitors", "commander_order", "strategy", "seed", "trace", "unsafe");
  /** How often runs waiting for their turn are checked for having waited too long. */
  private static final Duration QUEUE_SWEEP = Duration.ofMillis(50);

  private final Function<BftRunRequest, CompletionStage<BftRunResult>> runner;
  private final RequestBodies bodies;
  private final HttpErrors errors;
  private final InFlightLimiter runs;
  private final Duration queueTimeout;

  /** The routes of a node: settings from {@code raftring.bft}, the queue swept on the system's scheduler. */
  BftRoutes(ActorSystem<?> system, RequestBodies bodies, HttpErrors errors) {
    this(ByzantineAgreement.fromConfig(system)::run, BftSettings.fromConfig(system.settings().config()), bodies,
        errors);
    system.scheduler().scheduleAtFixedRate(QUEUE_SWEEP, QUEUE_SWEEP, runs::expireWaiters, system.executionContext());
  }

  /** @param runner runs a valid request: {@link ByzantineAgreement#run}, or a stand-in in tests */
  BftRoutes(Function<BftRunRequest, CompletionStage<BftRunResult>> runner, BftSettings settings,
      RequestBodies bodies, HttpErrors errors) {
    this.runner = runner;
    this.bodies = bodies;
    this.errors = errors;
    this.runs = new InFlightLimiter(settings.maxConcurrentRuns(), settings.maxQueuedRuns(), System::nanoTime);
    this.queueTimeout = settings.queueTimeout();
  }

  public Route route() {
    return path(
        PathMatchers.segment("v1").slash("bft").slash("run"),
        () -> post(() -> bodies.json(this::run)));
  }

  private Route run(JsonNode body) {
    BftRunRequest request;
    try {
      request = parse(body);
      request.validate();
    } catch (BftRequestException e) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    return onComplete(runs.acquire(queueTimeout.toNanos()), permit -> {
      if (permit.isFailure()) {
        return complete(errors.response(ErrorCode.OVERLOADED,
            "Byzantine agreement runs: " + permit.failed().get().getMessage()));
      }
      InFlightLimiter.Permit slot = permit.get();
      CompletionStage<BftRunResult> result;
      try {
        result = runner.apply(request);
      } catch (RuntimeException e) {
        slot.close();
        throw e;
      }
      return onComplete(result.whenComplete((r, e) -> slot.close()), this::answer);
    });
  }

  private Route answer(Try<BftRunResult> outcome) {
    if (outcome.isSuccess()) return complete(StatusCodes.OK, outcome.get(), Jackson.marshaller(MAPPER));
    Throwable cause = outcome.failed().get();
    if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
    if (cause instanceof BftRequestException) {
      return complete(errors.response(ErrorCode.BAD_REQUEST, cause.getMessage()));
    }
    if (cause instanceof BftRunFailedException) {
      return complete(errors.response(ErrorCode.TIMEOUT, cause.getMessage()));
    }
    return complete(errors.response(cause));
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
