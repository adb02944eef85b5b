package io.raftring.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ClusterApi;
import io.raftring.api.ClusterStatus;
import io.raftring.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/cluster}: the node's view of the cluster as JSON (snake_case fields of {@link ClusterStatus}, and
 * {@code eventual}: the eventual keyspace's hints and anti-entropy progress);
 * {@code GET /health/alive}: 200 {@code {"status":"alive"}} while the process serves HTTP; {@code GET /health/ready}:
 * 200 {@code {"status":"ready"}} when {@link ClusterApi#isReady()}, else 503 {@code {"error":"NOT_READY",
 * "message": notReadyReason}}.
 */
public final class ClusterRoutes extends AllDirectives {

  private final ClusterApi cluster;
  private final Duration requestTimeout;
  private final HttpErrors errors;

  public ClusterRoutes(ClusterApi cluster, HttpSettings settings) {
    this.cluster = cluster;
    this.requestTimeout = settings.requestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return handleExceptions(
        errors.exceptionHandler(),
        () ->
            get(
                () ->
                    concat(
                        path(PathMatchers.segment("v1").slash("cluster"), this::clusterStatus),
                        path(
                            PathMatchers.segment("health").slash("alive"),
                            () -> complete(ok(Json.object().put("status", "alive")))),
                        path(PathMatchers.segment("health").slash("ready"), this::ready))));
  }

  private Route ready() {
    if (cluster.isReady()) {
      return complete(ok(Json.object().put("status", "ready")));
    }
    String reason = cluster.notReadyReason();
    return complete(errors.response(ErrorCode.NOT_READY, reason == null || reason.isEmpty() ? "not ready" : reason));
  }

  private Route clusterStatus() {
    CompletableFuture<ClusterStatus> status = new CompletableFuture<>();
    try {
      cluster.clusterStatus(requestTimeout).whenComplete((s, e) -> {
        if (e != null) {
          status.completeExceptionally(e);
        } else {
          status.complete(s);
        }
      });
    } catch (RuntimeException e) {
      status.completeExceptionally(e);
    }
    CompletionStage<HttpResponse> response = status
        .orTimeout(requestTimeout.plus(KvRoutes.DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS)
        .handle((s, e) -> e != null ? errors.response(e) : ok(withEventual(statusJson(s))));
    return completeWithFuture(response);
  }

  /** Adds the eventual keyspace's hints and anti-entropy progress, when this node serves it. */
  private ObjectNode withEventual(ObjectNode json) {
    if (cluster instanceof io.raftring.RaftRing node && node.eventualEnabled()) {
      json.set("eventual", EventualRoutes.statusJson(node.eventual().status()));
    }
    return json;
  }

  static ObjectNode statusJson(ClusterStatus status) {
    ObjectNode json = Json.object().put("node", status.node());
    ArrayNode members = json.putArray("members");
    status.members().forEach(members::add);
    json.put("ready", status.ready());
    ArrayNode groups = json.putArray("groups");
    for (ClusterStatus.Group g : status.groups()) {
      ObjectNode group = groups.addObject().put("group", g.group());
      ArrayNode replicas = group.putArray("replicas");
      g.replicas().forEach(replicas::add);
      group.put("leader", g.leader()).put("term", g.term());
      ArrayNode voters = group.putArray("voters");
      g.voters().forEach(voters::add);
      ArrayNode learners = group.putArray("learners");
      g.learners().forEach(learners::add);
      group.put("change_in_progress", g.changeInProgress());
      ArrayNode replicaStatus = group.putArray("replica_status");
      for (ClusterStatus.Replica r : g.replicaStatus()) {
        replicaStatus.addObject()
            .put("node", r.node())
            .put("role", r.role())
            .put("term", r.term())
            .put("commit_index", r.commitIndex())
            .put("last_applied", r.lastApplied())
            .put("last_index", r.lastIndex())
            .put("reachable", r.reachable())
            .put("quiet", r.quiet());
      }
    }
    return json;
  }

  private static HttpResponse ok(ObjectNode body) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(Json.entity(body));
  }
}
