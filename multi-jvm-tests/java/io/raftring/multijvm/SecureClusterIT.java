package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.multijvm.NodeCluster.Node;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two node processes with HTTPS, bearer tokens and Artery over mutual TLS, certificates from a CA made for the
 * test: they form a cluster and serve writes only to a token; a third process with the right seeds, trusting the
 * cluster's CA but holding a certificate from another CA, never becomes a member: the nodes' Artery refuses its
 * certificate.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SecureClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long the stranger keeps trying once it runs; it retries joining every 2 s (NodeCluster's settings). */
  private static final Duration STRANGER_TRIES_FOR = Duration.ofSeconds(6);

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void aSecureClusterServesTokensOverTlsAndKeepsOutAPeerWithoutATrustedCertificate() throws Exception {
    try (NodeCluster cluster = NodeCluster.secure("secure", 2, 1)) {
      cluster.startAll(Duration.ofSeconds(120));
      List<Node> nodes = cluster.nodes();

      HttpResponse<String> put = cluster.http().send(cluster.request(nodes.get(0), "/v1/kv/greeting")
              .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString("hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      HttpResponse<String> get = cluster.http().send(cluster.request(nodes.get(1), "/v1/kv/greeting")
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.body()).isEqualTo("hello");
      HttpResponse<String> anonymous = cluster.http().send(
          HttpRequest.newBuilder(cluster.uri(nodes.get(1), "/v1/kv/greeting")).timeout(Duration.ofSeconds(10))
              .PUT(HttpRequest.BodyPublishers.ofString("bye")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);

      Node stranger = cluster.launchStranger("n4");
      awaitStarted(cluster, stranger);
      long until = System.nanoTime() + STRANGER_TRIES_FOR.toNanos();
      while (System.nanoTime() < until) {
        assertThat(members(cluster, nodes.get(0))).containsExactlyInAnyOrder("n1", "n2");
        assertThat(stranger.isRunning()).as("the stranger keeps trying").isTrue();
        NodeCluster.sleep(Duration.ofSeconds(1));
      }
      String strangerLog = Files.readString(cluster.logOf(stranger), StandardCharsets.UTF_8);
      assertThat(strangerLog).doesNotContain("Welcome from").containsPattern("SSLHandshakeException|bad_certificate");
    }
  }

  private static void awaitStarted(NodeCluster cluster, Node node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.readString(cluster.logOf(node), StandardCharsets.UTF_8).contains("NODE-STARTED")) {
      assertThat(node.isRunning()).as(node + " exited; see " + cluster.logOf(node)).isTrue();
      assertThat(System.nanoTime()).as(node + " did not start within 60 s").isLessThan(deadline);
      NodeCluster.sleep(Duration.ofMillis(200));
    }
  }

  private static List<String> members(NodeCluster cluster, Node asked) throws Exception {
    HttpResponse<String> status = cluster.http().send(cluster.request(asked, "/v1/cluster")
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    List<String> members = new ArrayList<>();
    for (JsonNode m : JSON.readTree(status.body()).get("members")) {
      members.add(m.asText());
    }
    return members;
  }
}
