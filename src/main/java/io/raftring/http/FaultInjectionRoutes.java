package io.raftring.http;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.remote.transport.ThrottlerTransportAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.Future;

/**
 * Test-only routes that cut this node off from chosen peers, for the multi-JVM fault-injection tests. Mounted by
 * {@link HttpServer} only when {@code raftring.test.fault-injection = on} <em>and</em>
 * {@code akka.remote.artery.advanced.test-mode = on}; both are off by default and no shipped configuration turns them
 * on.
 *
 * <ul>
 *   <li>{@code POST /v1/test/partition {"blackhole":["akka://raftring@127.0.0.1:2552", ...]}}: from now on this node
 *       drops everything it would send to, and everything it receives from, each listed address (Artery's test-mode
 *       blackhole, both directions). Addresses already cut stay cut. 200 {@code {"blackholed":[...]}}.
 *   <li>{@code POST /v1/test/heal}: lifts every blackhole this node set. 200 {@code {"blackholed":[]}}.
 *   <li>{@code GET /v1/test/partition}: the addresses this node currently drops.
 *   <li>{@code POST /v1/test/txn-crash {"phase":"prepares_sent|all_prepared|record_committed"}}: the next two-phase
 *       transaction this node coordinates that reaches that phase halts the JVM there (no shutdown hooks, as a
 *       kill -9), so a test can crash a coordinator at an exact step. 200 {@code {"armed":phase}}.
 * </ul>
 *
 * A partition between two sets of nodes is made by telling every node of each side to blackhole the other side.
 *
 * <p>The blackhole is set through the transport's {@code managementCommand(SetThrottle(...))}, an internal Akka API
 * reached by reflection (the classic system's {@code provider().transport()}, an {@code ArteryTransport}).
 */
public final class FaultInjectionRoutes extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(FaultInjectionRoutes.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final HttpErrors errors;
  private final RequestBodies bodies;
  private final Set<String> blackholed = new TreeSet<>();

  FaultInjectionRoutes(ActorSystem<?> system, HttpSettings settings, RequestBodies bodies) {
    this.system = system;
    this.errors = new HttpErrors(settings.retryAfter());
    this.bodies = bodies;
  }

  /** Whether {@code config} asks for these routes: both the test switch and Artery's test mode must be on. */
  public static boolean enabledIn(Config config) {
    return config.hasPath("raftring.test.fault-injection")
        && config.getBoolean("raftring.test.fault-injection")
        && config.hasPath("akka.remote.artery.advanced.test-mode")
        && config.getBoolean("akka.remote.artery.advanced.test-mode");
  }

  public Route route() {
    log.warn("fault injection is ON: POST /v1/test/partition and /v1/test/heal can cut this node off (tests only)");
    return handleExceptions(
        errors.exceptionHandler(),
        () ->
            pathPrefix(
                PathMatchers.segment("v1").slash("test"),
                () ->
                    concat(
                        path("partition", () -> concat(
                            post(() -> bodies.json(this::partition)),
                            get(() -> complete(state())))),
                        path("heal", () -> post(() -> complete(heal()))),
                        path("txn-crash", () -> post(() -> bodies.json(this::armTxnCrash))))));
  }

  private Route partition(JsonNode json) {
    List<Address> addresses = new ArrayList<>();
    try {
      JsonNode list = json.get("blackhole");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException("expected {\"blackhole\":[addresses]}");
      }
      for (JsonNode a : list) {
        addresses.add(AddressFromURIString.parse(a.asText()));
      }
    } catch (Exception e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "bad partition request: " + e.getMessage());
    }
    synchronized (blackholed) {
      for (Address address : addresses) {
        setThrottle(address, ThrottlerTransportAdapter.blackholeThrottleMode());
        blackholed.add(address.toString());
      }
      log.warn("fault injection: blackholed {}", blackholed);
    }
    return complete(state());
  }

  private Route armTxnCrash(JsonNode body) {
    io.raftring.txn.TxnCoordinator.Phase phase;
    try {
      phase = io.raftring.txn.TxnCoordinator.Phase.valueOf(
          body.get("phase").asText().toUpperCase(java.util.Locale.ROOT));
    } catch (Exception e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "expected {\"phase\":\"prepares_sent|all_prepared|record_committed\"}: " + e.getMessage());
    }
    io.raftring.RaftRing.get(system).observeTransactionPhases(reached -> {
      if (reached == phase) {
        log.warn("fault injection: halting at transaction phase {}", phase);
        Runtime.getRuntime().halt(137);
      }
    });
    return complete(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(Json.entity(Json.object().put("armed", phase.name().toLowerCase(java.util.Locale.ROOT)))));
  }

  private HttpResponse heal() {
    synchronized (blackholed) {
      for (String address : blackholed) {
        setThrottle(AddressFromURIString.parse(address), ThrottlerTransportAdapter.unthrottledThrottleMode());
      }
      log.warn("fault injection: healed {}", blackholed);
      blackholed.clear();
    }
    return state();
  }

  private HttpResponse state() {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("blackholed");
    synchronized (blackholed) {
      blackholed.forEach(list::add);
    }
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(body));
  }

  private void setThrottle(Address address, ThrottlerTransportAdapter.ThrottleMode mode) {
    Object command = new ThrottlerTransportAdapter.SetThrottle(
        address, ThrottlerTransportAdapter.bothDirection(), mode);
    try {
      ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
      Object provider = classic.provider();
      Method transportMethod = provider.getClass().getMethod("transport");
      Object transport = transportMethod.invoke(provider);
      Method management = transport.getClass().getMethod("managementCommand", Object.class);
      @SuppressWarnings("unchecked")
      Future<Object> done = (Future<Object>) management.invoke(transport, command);
      Object ok = Await.result(done,
          scala.concurrent.duration.Duration.create(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      if (!Boolean.TRUE.equals(ok)) {
        throw new IllegalStateException("the transport refused " + command
            + " (is akka.remote.artery.advanced.test-mode on?)");
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not set " + command + ": " + e, e);
    }
  }
}
