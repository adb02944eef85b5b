package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM, each with its HTTP endpoint, used the way a user would with curl: writes through any node,
 * reads at every level, a compare-and-set race with one winner, a node terminated mid-stream without losing an
 * acknowledged write, and 503 NO_QUORUM for strong reads (while stale reads answer) when two nodes are down.
 */
class KvHttpClusterTest {

  private static LocalCluster cluster;
  private static ActorTestKit kit;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(List.of("n1", "n2", "n3"), 4);
    kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    awaitReady(List.of("n1", "n2", "n3"));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    kit.shutdownTestKit();
  }

  private static void awaitReady(List<String> names) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
      for (String name : names) {
        assertThat(call(name, "GET", "/health/ready", null).statusCode()).as(name).isEqualTo(200);
      }
      return null;
    });
  }

  private static URI uri(String node, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + cluster.httpPort(node) + pathAndQuery);
  }

  /**
   * A request with a 5 s deadline unless it names one: on a loaded two-core machine an election can take a while,
   * and this test is about outcomes, not latency.
   */
  private static HttpRequest request(String node, String method, String path, String body) {
    String pathAndQuery = path.contains("timeout=") || !path.startsWith("/v1/kv")
        ? path
        : path + (path.contains("?") ? "&" : "?") + "timeout=5s";
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return HttpRequest.newBuilder(uri(node, pathAndQuery)).timeout(Duration.ofSeconds(10))
        .method(method, publisher).build();
  }

  private static HttpResponse<String> call(String node, String method, String pathAndQuery, String body) {
    try {
      return http.send(request(node, method, pathAndQuery, body), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + pathAndQuery + " on " + node + ": " + e, e);
    }
  }

  private static CompletableFuture<HttpResponse<String>> callAsync(String node, String method, String path, String body) {
    return http.sendAsync(request(node, method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theStoreServesUsersThroughAnyNodeAndRefusesStrongReadsWithoutQuorum() {
    // Writes through any node; reads at every level through every node.
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> put = call(cluster.names().get(i % 3), "PUT", "/v1/kv/color-" + i, "blue-" + i);
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }
    for (String node : cluster.names()) {
      for (String level : List.of("linearizable", "lease")) {
        HttpResponse<String> get = call(node, "GET", "/v1/kv/color-5?consistency=" + level, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("blue-5");
        assertThat(get.headers().firstValue("X-RaftRing-Consistency")).hasValue(level);
      }
    }
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      HttpResponse<String> stale = call("n3", "GET", "/v1/kv/color-11?consistency=stale", null);
      assertThat(stale.body()).isEqualTo("blue-11");
      return null;
    });
    assertThat(call("n2", "GET", "/v1/kv/no-such-key", null).statusCode()).isEqualTo(404);

    // The node's metrics show its replicas' Raft state, the writes it proposed and the journal's synced writes.
    String metrics = call("n1", "GET", "/metrics", null).body();
    assertThat(metrics).contains("raftring_raft_term{group=\"g0\"}", "raftring_raft_commit_index{group=\"g0\"}");
    assertThat(metrics).containsPattern("raftring_proposals_total\\{outcome=\"applied\"\\} [1-9]");
    assertThat(metrics).containsPattern("raftring_journal_sync_seconds_count [1-9]");
    assertThat(metrics).containsPattern("raftring_http_requests_total\\{[^}]*status=\"200\"[^}]*\\} [1-9]");

    // A compare-and-set race between two clients on two nodes: exactly one wins.
    HttpResponse<String> created = call("n1", "PUT", "/v1/kv/counter", "0");
    String revision = created.headers().firstValue("X-RaftRing-Mod-Revision").orElseThrow();
    CompletableFuture<HttpResponse<String>> a = callAsync("n2", "PUT", "/v1/kv/counter?prev_revision=" + revision, "a");
    CompletableFuture<HttpResponse<String>> b = callAsync("n3", "PUT", "/v1/kv/counter?prev_revision=" + revision, "b");
    List<Integer> statuses = List.of(a.join().statusCode(), b.join().statusCode());
    assertThat(statuses).containsExactlyInAnyOrder(200, 409);

    // Writes keep coming while n1 is terminated: every acknowledged one is there afterwards.
    List<CompletableFuture<HttpResponse<String>>> stream = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      stream.add(callAsync(i % 2 == 0 ? "n2" : "n3", "PUT", "/v1/kv/stream-" + i + "?timeout=5s", "s" + i));
      if (i == 40) {
        cluster.stopNode("n1");
      }
    }
    List<Integer> acknowledged = new ArrayList<>();
    for (int i = 0; i < stream.size(); i++) {
      HttpResponse<String> r = stream.get(i).orTimeout(20, TimeUnit.SECONDS).join();
      if (r.statusCode() == 200) {
        acknowledged.add(i);
      } else {
        assertThat(r.statusCode()).as(r.body()).isIn(503, 504);
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(60);
    for (int i : acknowledged) {
      assertThat(call("n3", "GET", "/v1/kv/stream-" + i + "?timeout=5s", null).body()).isEqualTo("s" + i);
    }

    // n3 alone: strong reads answer 503 NO_QUORUM, stale reads answer, a degraded read says so.
    cluster.stopNode("n2");
    HttpResponse<String> strong = call("n3", "GET", "/v1/kv/color-5?timeout=1s", null);
    assertThat(strong.statusCode()).isEqualTo(503);
    assertThat(strong.body()).contains("\"NO_QUORUM\"");
    assertThat(call("n3", "GET", "/v1/kv/color-5?consistency=lease&timeout=1s", null).statusCode()).isEqualTo(503);
    HttpResponse<String> stale = call("n3", "GET", "/v1/kv/color-5?consistency=stale", null);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("blue-5");
    HttpResponse<String> degraded = call("n3", "GET", "/v1/kv/color-5?degrade=stale&timeout=1s", null);
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.headers().firstValue("X-RaftRing-Degraded")).hasValue("true");

    // Both return from their data directories: strong reads work again.
    cluster.startNode("n1");
    cluster.startNode("n2");
    awaitReady(List.of("n1", "n2", "n3"));
    assertThat(call("n1", "GET", "/v1/kv/color-5", null).body()).isEqualTo("blue-5");
    assertThat(call("n2", "GET", "/v1/kv/counter", null).body()).isIn("a", "b");
  }
}
