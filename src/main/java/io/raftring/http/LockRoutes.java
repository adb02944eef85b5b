package io.raftring.http;

import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.LeaseIds;
import io.raftring.lock.ElectionApi;
import io.raftring.lock.LockApi;
import io.raftring.lock.Ownership;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Locks and elections on leases (etcd's v3lock and v3election, over HTTP):
 *
 * <ul>
 *   <li>{@code POST /v1/locks/{name}?lease=ID}: waits (up to {@code ?timeout=}) until the lease holds the lock: 200
 *       {@code {"name","key","lease","fencing_token"}}; 404 when the lease is gone; 504 TIMEOUT when not acquired in
 *       time (the lease keeps its place: ask again). {@code DELETE /v1/locks/{name}?lease=ID} unlocks:
 *       {@code {"released":bool}}. {@code GET /v1/locks/{name}}: the holder, or 404.
 *   <li>{@code POST /v1/elections/{name}?lease=ID} with the candidate's value as the body: waits until it leads, as a
 *       lock. {@code PUT} the same, as the leader, announces a new value (409 if it does not lead). {@code DELETE}
 *       resigns. {@code GET /v1/elections/{name}}: the leader with its value (base64), or 404;
 *       {@code ?observe=true}: newline-delimited JSON, {@code {"type":"leader",...}} or {@code {"type":"none"}} now
 *       and at every change.
 * </ul>
 */
public final class LockRoutes extends AllDirectives {

  private static final Set<String> WITH_LEASE = Set.of("lease", "timeout");
  private static final Set<String> READ = Set.of("timeout", "observe");

  private final LockApi locks;
  private final ElectionApi elections;
  private final HttpSettings settings;
  private final HttpErrors errors;
  private final RequestBodies bodies;

  LockRoutes(LockApi locks, ElectionApi elections, HttpSettings settings, RequestBodies bodies) {
    this.locks = locks;
    this.elections = elections;
    this.settings = settings;
    this.errors = new HttpErrors(settings.retryAfter());
    this.bodies = bodies;
  }

  public Route route() {
    return pathPrefix("v1", () -> concat(
        pathPrefix("locks", () -> extractRequest(request -> concat(
            post(() -> call(request, WITH_LEASE, (name, lease, timeout) -> locks.lock(name, lease, timeout),
                LockRoutes::ownershipJson)),
            delete(() -> call(request, WITH_LEASE, (name, lease, timeout) -> locks.unlock(name, lease, timeout),
                released -> Json.object().put("released", released))),
            get(() -> holder(request, locks::holder))))),
        pathPrefix("elections", () -> extractRequest(request -> concat(
            post(() -> withValue(value -> call(request, WITH_LEASE,
                (name, lease, timeout) -> elections.campaign(name, lease, value, timeout), LockRoutes::ownershipJson))),
            put(() -> withValue(value -> call(request, WITH_LEASE,
                (name, lease, timeout) -> elections.proclaim(name, lease, value, timeout),
                LockRoutes::ownershipJson))),
            delete(() -> call(request, WITH_LEASE, (name, lease, timeout) -> elections.resign(name, lease, timeout),
                resigned -> Json.object().put("resigned", resigned))),
            get(() -> {
              RawTarget target = RawTarget.of(request);
              if (target.parameter("observe").filter("true"::equals).isPresent()) {
                return observe(request);
              }
              return holder(request, elections::leader);
            }))))));
  }

  private interface Call<T> {
    CompletionStage<T> apply(String name, long lease, Duration timeout);
  }

  private <T> Route call(HttpRequest request, Set<String> parameters, Call<T> api, Function<T, ObjectNode> render) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(parameters);
    String name = name(target);
    long lease = LeaseIds.parse(target.parameter("lease").orElseThrow(() -> new RaftRingException(
        ErrorCode.BAD_REQUEST, "give the lease that holds or waits: ?lease=<id>")));
    Duration timeout = target.timeout(settings.requestTimeout(), settings.maxRequestTimeout());
    return answer(api.apply(name, lease, timeout), render);
  }

  private Route holder(HttpRequest request, java.util.function.BiFunction<String, Duration,
      CompletionStage<Optional<Ownership>>> api) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(READ);
    String name = name(target);
    Duration timeout = target.timeout(settings.requestTimeout(), settings.maxRequestTimeout());
    return answer(api.apply(name, timeout).thenApply(owner -> owner.orElseThrow(() ->
        new RaftRingException(ErrorCode.NOT_FOUND, "nobody holds '" + name + "' now"))), LockRoutes::ownershipJson);
  }

  private Route observe(HttpRequest request) {
    RawTarget target = RawTarget.of(request);
    target.requireOnly(READ);
    String name = name(target);
    return complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.createChunked(
        WatchRoutes.NDJSON,
        elections.observe(name).map(leader -> {
          ObjectNode json = leader.map(owner -> ownershipJson(owner).put("type", "leader"))
              .orElseGet(() -> Json.object().put("type", "none"));
          return ByteString.fromArray(Json.MAPPER.writeValueAsBytes(json)).concat(ByteString.fromString("\n"));
        }))));
  }

  /** A candidate's value: the body, bounded like a key's value. */
  private Route withValue(Function<byte[], Route> inner) {
    return bodies.strict(settings.limits().maxValueBytes(), entity -> inner.apply(entity.getData().toArray()));
  }

  private <T> Route answer(CompletionStage<T> stage, Function<T, ObjectNode> render) {
    return completeWithFuture(stage.handle((value, failure) -> {
      if (failure != null) {
        return errors.response(failure);
      }
      try {
        return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(render.apply(value)));
      } catch (RuntimeException e) {
        return errors.response(e);
      }
    }));
  }

  /** The lock's or election's name: the rest of the path, decoded strictly. */
  private static String name(RawTarget target) {
    byte[] bytes = target.pathBytesAfter(2);
    if (bytes.length == 0) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, "give the name: /v1/locks/NAME or /v1/elections/NAME");
    }
    return RawTarget.strictUtf8(bytes, "the name");
  }

  static ObjectNode ownershipJson(Ownership owner) {
    ObjectNode json = Json.object().put("name", owner.name()).put("key", owner.key())
        .put("lease", LeaseIds.format(owner.lease())).put("fencing_token", owner.fencingToken());
    if (owner.value().length > 0) {
      json.put("value", Base64.getEncoder().encodeToString(owner.value()));
    }
    return json;
  }
}
