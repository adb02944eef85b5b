package io.raftring.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.LeaseIds;
import io.raftring.lease.LeaseApi;
import io.raftring.lease.LeaseInfo;
import io.raftring.lease.LeaseRenewal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Leases with a time to live, as etcd's:
 *
 * <ul>
 *   <li>{@code POST /v1/leases?ttl=10s} (or 500ms, 2m, 1h; a bare number is seconds, as etcd's TTL): 200
 *       {@code {"id":"<16 hex>","ttl_ms":N}}. A TTL below {@code raftring.lease.min-ttl} is raised to it.
 *   <li>{@code POST /v1/leases/{id}/keepalive}: renews it for its whole TTL: 200 {@code {"id","ttl_ms"}}; 404 once it
 *       expired or was revoked.
 *   <li>{@code POST /v1/leases/keepalive} with {@code {"ids":["<id>",...]}} (up to 10,000): renews them all, one
 *       leader read per group rather than one request each, as a client holding many leases does every TTL/3 (etcd
 *       clients multiplex theirs over one keep-alive stream): 200 {@code {"leases":[{"id","ttl_ms"}, ...]}} in the
 *       order asked, where a lease not renewed has {@code {"id","error","message"}} instead (NOT_FOUND once it
 *       expired or was revoked, TIMEOUT or NO_QUORUM when its group could not answer).
 *   <li>{@code DELETE /v1/leases/{id}}: revokes it and deletes its keys in every group: 200 {@code {"id","revoked":true}}.
 *   <li>{@code GET /v1/leases/{id}}: 200 {@code {"id","granted_ttl_ms","ttl_ms"}} ({@code ttl_ms} -1 when the lessor's
 *       node could not say); {@code GET /v1/leases}: {@code {"leases":[{"id","granted_ttl_ms"}]}}.
 * </ul>
 *
 * Attach keys with {@code PUT /v1/kv/{key}?lease=<id>}. Every request takes {@code ?timeout=} as the KV API does.
 */
public final class LeaseRoutes extends AllDirectives {

  private static final Pattern TTL = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
  private static final Set<String> GRANT_PARAMETERS = Set.of("ttl", "timeout");
  private static final Set<String> TIMEOUT_ONLY = Set.of("timeout");

  /** A keep-alive body of the most ids: each "0123456789abcdef", in 19 bytes, and room for spaces and the rest. */
  private static final int MAX_KEEP_ALIVE_BYTES = LeaseApi.MAX_KEEP_ALIVE_IDS * 24 + 1024;

  private final LeaseApi leases;
  private final HttpSettings settings;
  private final RequestBodies bodies;
  private final HttpErrors errors;

  public LeaseRoutes(LeaseApi leases, HttpSettings settings, RequestBodies bodies) {
    this.leases = leases;
    this.settings = settings;
    this.bodies = bodies;
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return pathPrefix("v1", () -> pathPrefix("leases", () -> concat(
        pathEnd(() -> concat(
            post(() -> extractRequest(this::grant)),
            get(() -> extractRequest(this::list)))),
        path("keepalive", () -> post(() -> extractRequest(this::keepAliveMany))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> extractRequest(request -> call(request, TIMEOUT_ONLY,
                    timeout -> leases.timeToLive(LeaseIds.parse(id), timeout), LeaseRoutes::timeToLiveJson))),
                delete(() -> extractRequest(request -> call(request, TIMEOUT_ONLY,
                    timeout -> leases.revoke(LeaseIds.parse(id), timeout),
                    info -> Json.object().put("id", LeaseIds.format(info.id())).put("revoked", true)))))),
            path("keepalive", () -> post(() -> extractRequest(request -> call(request, TIMEOUT_ONLY,
                timeout -> leases.keepAlive(LeaseIds.parse(id), timeout),
                info -> Json.object().put("id", LeaseIds.format(info.id())).put("ttl_ms", info.remainingMillis()))))))))));
  }

  private Route grant(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(GRANT_PARAMETERS);
    Duration ttl = ttl(target.parameter("ttl").orElseThrow(
        () -> new RaftRingException(ErrorCode.BAD_REQUEST, "give the lease's time to live: ?ttl=10s")));
    return call(request, GRANT_PARAMETERS, timeout -> leases.grant(ttl, timeout),
        info -> Json.object().put("id", LeaseIds.format(info.id())).put("ttl_ms", info.ttlMillis()));
  }

  private Route keepAliveMany(HttpRequest request) {
    Duration timeout = timeout(request, TIMEOUT_ONLY); // before the body is read
    return bodies.json(MAX_KEEP_ALIVE_BYTES, body -> {
      List<Long> ids = keepAliveIds(body);
      return respond(leases.keepAlive(ids, timeout), renewals -> {
        ObjectNode answer = Json.object();
        ArrayNode array = answer.putArray("leases");
        for (LeaseRenewal renewal : renewals) {
          ObjectNode entry = array.addObject().put("id", LeaseIds.format(renewal.id()));
          if (renewal.renewed()) {
            entry.put("ttl_ms", renewal.remainingMillis());
          } else {
            entry.put("error", renewal.error().name()).put("message", renewal.message());
          }
        }
        return answer;
      });
    });
  }

  /** The ids of a keep-alive body, {@code {"ids":[...]}} and nothing else. */
  static List<Long> keepAliveIds(JsonNode body) {
    JsonNode ids = body.get("ids");
    if (!body.isObject() || body.size() != 1 || ids == null || !ids.isArray()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "a keep-alive body is {\"ids\":[\"<lease id>\", ...]} and nothing else");
    }
    if (ids.isEmpty() || ids.size() > LeaseApi.MAX_KEEP_ALIVE_IDS) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "a keep-alive names 1 to " + LeaseApi.MAX_KEEP_ALIVE_IDS + " leases, not " + ids.size());
    }
    List<Long> parsed = new ArrayList<>(ids.size());
    for (JsonNode id : ids) {
      if (!id.isTextual()) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, "a lease id is a string of hex digits, was " + id);
      }
      parsed.add(LeaseIds.parse(id.asText()));
    }
    return parsed;
  }

  private Route list(HttpRequest request) {
    return call(request, TIMEOUT_ONLY, leases::list, all -> {
      ObjectNode body = Json.object();
      ArrayNode array = body.putArray("leases");
      for (LeaseInfo info : all) {
        array.add(Json.object().put("id", LeaseIds.format(info.id())).put("granted_ttl_ms", info.ttlMillis()));
      }
      return body;
    });
  }

  private static ObjectNode timeToLiveJson(LeaseInfo info) {
    return Json.object().put("id", LeaseIds.format(info.id())).put("granted_ttl_ms", info.ttlMillis())
        .put("ttl_ms", info.remainingMillis());
  }

  /** Checks the parameters, calls the API with the request's deadline, renders its answer or its error. */
  private <T> Route call(HttpRequest request, Set<String> parameters, Function<Duration, CompletionStage<T>> api,
      Function<T, ObjectNode> render) {
    return respond(api.apply(timeout(request, parameters)), render);
  }

  /** The request's deadline, once its parameters are checked to be among {@code parameters}. */
  private Duration timeout(HttpRequest request, Set<String> parameters) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(parameters);
    return target.timeout(settings.requestTimeout(), settings.maxRequestTimeout());
  }

  /** 200 with the rendered answer, or the error answer for the stage's failure. */
  private <T> Route respond(CompletionStage<T> answer, Function<T, ObjectNode> render) {
    return completeWithFuture(answer.handle((value, failure) -> failure != null
        ? errors.response(failure)
        : HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(render.apply(value)))));
  }

  /** A TTL: a number with ms, s, m or h, or a bare number of seconds. */
  static Duration ttl(String text) {
    Matcher m = TTL.matcher(text);
    if (!m.matches()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST,
          "ttl must look like 10s, 500ms, 2m, 1h or 10 (seconds), was '" + text + "'");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration ttl = switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
    if (ttl.isZero()) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "ttl must be positive");
    }
    return ttl;
  }
}
