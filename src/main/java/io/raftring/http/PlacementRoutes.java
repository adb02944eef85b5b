package io.raftring.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.cluster.PlacementApi;
import io.raftring.cluster.PlacementDriver;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The placement driver over HTTP:
 *
 * <ul>
 *   <li>{@code POST /v1/cluster/nodes/{node}/decommission}: 202 {@code {"node", "decommissioned", "replicas_to_move"}};
 *       the driver moves the node's replicas away, then the node leaves the cluster. Repeating it is harmless.
 *   <li>{@code DELETE /v1/cluster/nodes/{node}/decommission}: 200, the decommission is cancelled.
 *   <li>{@code GET /v1/cluster/placement}: the driver's view (ring nodes, absences, moves in flight and done).
 * </ul>
 *
 * <p>400 for an unknown node, 409 when fewer nodes than the replication factor would remain, 503 when the driver is
 * off or does not answer.
 */
public final class PlacementRoutes extends AllDirectives {

  private final PlacementApi placement;
  private final Duration timeout;
  private final HttpErrors errors;

  public PlacementRoutes(PlacementApi placement, HttpSettings settings) {
    this.placement = placement;
    this.timeout = settings.maxRequestTimeout();
    this.errors = new HttpErrors(settings.retryAfter());
  }

  public Route route() {
    return pathPrefix(PathMatchers.segment("v1").slash("cluster"), () -> concat(
        path(PathMatchers.segment("nodes").slash(PathMatchers.segment()).slash("decommission"), node -> concat(
            post(() -> answer(placement.decommission(node, timeout), StatusCodes.ACCEPTED, PlacementRoutes::render)),
            delete(() -> answer(placement.recommission(node, timeout), StatusCodes.OK, PlacementRoutes::render)))),
        path(PathMatchers.segment("placement"), () ->
            get(() -> answer(placement.placementStatus(timeout), StatusCodes.OK, PlacementRoutes::render)))));
  }

  private <T> Route answer(CompletionStage<T> outcome, StatusCode status, Function<T, ObjectNode> render) {
    CompletionStage<HttpResponse> response = outcome.toCompletableFuture()
        .orTimeout(timeout.plus(KvRoutes.DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS)
        .handle((value, e) -> e != null
            ? errors.response(e)
            : HttpResponse.create().withStatus(status).withEntity(Json.entity(render.apply(value))));
    return completeWithFuture(response);
  }

  static ObjectNode render(PlacementDriver.DecommissionAnswer answer) {
    ObjectNode json = Json.object().put("node", answer.node());
    answer.decommissioned().forEach(json.putArray("decommissioned")::add);
    return json.put("replicas_to_move", answer.replicasToMove());
  }

  static ObjectNode render(PlacementDriver.PlacementStatus status) {
    ObjectNode json = Json.object().put("driver_node", status.driverNode());
    status.placementNodes().forEach(json.putArray("placement_nodes")::add);
    status.decommissioned().forEach(json.putArray("decommissioned")::add);
    status.absentSeconds().forEach(json.putObject("absent_seconds")::put);
    json.put("groups_off_target", status.groupsOffTarget());
    status.moving().forEach(json.putObject("moving")::put);
    status.stepsDone().forEach(json.putObject("steps_done")::put);
    status.leadersPerNode().forEach(json.putObject("leaders_per_node")::put);
    status.recentFailures().forEach(json.putArray("recent_failures")::add);
    return json;
  }
}
