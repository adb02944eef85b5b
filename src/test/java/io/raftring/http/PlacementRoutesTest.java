package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.PlacementApi;
import io.raftring.cluster.PlacementDriver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The placement endpoints against a fake driver that knows n1..n4 with a replication factor of 3: a decommission is
 * 202 with the decommissioned set, an unknown node 400, one too many 409, and a driver that does not answer 503.
 */
class PlacementRoutesTest {

  private static ActorTestKit kit;
  private static BoundRoute server;

  private static final PlacementApi FAKE_DRIVER = new PlacementApi() {
    @Override
    public CompletionStage<PlacementDriver.DecommissionAnswer> decommission(String node, Duration timeout) {
      return switch (node) {
        case "n4" -> CompletableFuture.completedFuture(
            new PlacementDriver.DecommissionAnswer("n4", null, null, List.of("n4"), 5));
        case "n3" -> CompletableFuture.failedFuture(new RaftRingException(ErrorCode.CONFLICT,
            "decommissioning n3 would leave [n1, n2] to hold 3 replicas of every group; add a node first"));
        case "slow" -> CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NOT_READY,
            "the placement driver did not answer within 1000 ms"));
        default -> CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
            "unknown node " + node + "; the cluster's nodes are [n1, n2, n3, n4]"));
      };
    }

    @Override
    public CompletionStage<PlacementDriver.DecommissionAnswer> recommission(String node, Duration timeout) {
      return CompletableFuture.completedFuture(new PlacementDriver.DecommissionAnswer(node, null, null, List.of(), 0));
    }

    @Override
    public CompletionStage<PlacementDriver.PlacementStatus> placementStatus(Duration timeout) {
      return CompletableFuture.completedFuture(new PlacementDriver.PlacementStatus("n1",
          List.of("n1", "n2", "n3"), List.of("n4"), Map.of("n4", 0L), 2, Map.of("g3", "ADD_LEARNER n3"),
          Map.of("ADD_LEARNER", 7), Map.of("n1", 2, "n2", 2), List.of("g1: REMOVE_SERVER n4 failed: timeout")));
    }
  };

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    server = BoundRoute.bind(kit, new PlacementRoutes(FAKE_DRIVER, TestServer.SETTINGS).route());
  }

  @AfterAll
  static void stop() {
    server.close();
    kit.shutdownTestKit();
  }

  @Test
  void aDecommissionIsAcceptedWithTheNodesBeingDecommissioned() throws Exception {
    HttpResponse<String> r = server.send("POST", "/v1/cluster/nodes/n4/decommission");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(BoundRoute.json(r).get("decommissioned").get(0).asText()).isEqualTo("n4");
    assertThat(BoundRoute.json(r).get("replicas_to_move").asInt()).isEqualTo(5);
  }

  @Test
  void impossibleDecommissionsAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> unknown = server.send("POST", "/v1/cluster/nodes/n9/decommission");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(unknown).get("message").asText()).contains("unknown node n9");
    HttpResponse<String> tooFew = server.send("POST", "/v1/cluster/nodes/n3/decommission");
    assertThat(tooFew.statusCode()).isEqualTo(409);
    assertThat(BoundRoute.json(tooFew).get("error").asText()).isEqualTo("CONFLICT");
    HttpResponse<String> noDriver = server.send("POST", "/v1/cluster/nodes/slow/decommission");
    assertThat(noDriver.statusCode()).isEqualTo(503);
  }

  @Test
  void aDecommissionCanBeCancelled() throws Exception {
    HttpResponse<String> r = server.send("DELETE", "/v1/cluster/nodes/n4/decommission");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(BoundRoute.json(r).get("decommissioned")).isEmpty();
  }

  @Test
  void thePlacementViewNamesRingNodesMovesAndFailures() throws Exception {
    HttpResponse<String> r = server.send("GET", "/v1/cluster/placement");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = BoundRoute.json(r);
    assertThat(body.get("placement_nodes")).hasSize(3);
    assertThat(body.get("moving").get("g3").asText()).isEqualTo("ADD_LEARNER n3");
    assertThat(body.get("steps_done").get("ADD_LEARNER").asInt()).isEqualTo(7);
    assertThat(body.get("groups_off_target").asInt()).isEqualTo(2);
    assertThat(body.get("recent_failures").get(0).asText()).contains("REMOVE_SERVER n4");
  }
}
