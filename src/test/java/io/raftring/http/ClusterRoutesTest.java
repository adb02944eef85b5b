package io.raftring.http;

import static io.raftring.http.TestServer.assertError;
import static io.raftring.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterRoutesTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void healthy() {
    server.cluster.ready = true;
    server.cluster.failure = null;
  }

  @Test
  void clusterStatusIsSnakeCaseJson() throws Exception {
    JsonNode json = json(server.get("/v1/cluster"));
    assertThat(json.get("node").asText()).isEqualTo("node-a");
    assertThat(json.get("members")).hasSize(3);
    assertThat(json.get("ready").asBoolean()).isTrue();
    JsonNode group = json.get("groups").get(0);
    assertThat(group.get("group").asText()).isEqualTo("g1");
    assertThat(group.get("leader").asText()).isEqualTo("node-a");
    assertThat(group.get("term").asLong()).isEqualTo(7);
    JsonNode follower = group.get("replica_status").get(1);
    assertThat(follower.get("role").asText()).isEqualTo("follower");
    assertThat(follower.get("commit_index").asLong()).isEqualTo(120);
    assertThat(follower.get("last_applied").asLong()).isEqualTo(119);
    assertThat(follower.get("last_index").asLong()).isEqualTo(121);
    assertThat(follower.get("quiet").asBoolean()).isFalse();
    assertThat(group.get("replica_status").get(0).get("quiet").asBoolean()).isTrue();
    assertThat(group.get("replica_status").get(2).get("reachable").asBoolean()).isFalse();
  }

  @Test
  void clusterStatusFailureIsAJsonError() throws Exception {
    server.cluster.failure = new RaftRingException(ErrorCode.TIMEOUT, "replicas did not answer");
    assertError(server.get("/v1/cluster"), 504, "TIMEOUT");
  }

  @Test
  void aliveWhileServing() throws Exception {
    var res = server.get("/health/alive");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(json(res).get("status").asText()).isEqualTo("alive");
  }

  @Test
  void readyOnlyWhenTheClusterSaysSo() throws Exception {
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    server.cluster.ready = false;
    server.cluster.reason = "no leader known for group g3";
    JsonNode error = assertError(server.get("/health/ready"), 503, "NOT_READY");
    assertThat(error.get("message").asText()).isEqualTo("no leader known for group g3");
  }

  @Test
  void healthIsGetOnly() throws Exception {
    assertError(server.send("POST", "/health/ready", new byte[0]), 405, "METHOD_NOT_ALLOWED");
  }
}
