package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node flooded far beyond its admission bound: what it admits succeeds, the rest is refused with 503 OVERLOADED
 * (and Retry-After) without doing anything, and nothing is applied twice or lost. One group, so the store's revision
 * counts the applied writes exactly.
 */
class OverloadFloodTest {

  private static final int FLOOD = 400;
  private static final int CLIENTS = 64;

  @Test
  void aFloodedNodeServesWhatItAdmitsAndRefusesTheRestWithoutSideEffects() throws Exception {
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (LocalCluster cluster = LocalCluster.start(List.of("n1", "n2", "n3"), 1, ConfigFactory.parseString(
        "raftring.admission { max-in-flight = 8, max-queued = 8, queue-timeout = 50ms }"))) {
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
        for (String name : cluster.names()) {
          assertThat(cluster.node(name).raftRing().notReadyReason()).as(name).isEmpty();
        }
        return null;
      });
      String base = "http://127.0.0.1:" + cluster.httpPort("n1");

      // 64 clients, each with one request at a time, eight times the node's in-flight bound plus its queue.
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        // Create-only writes: a write applied twice would answer 409 or move the revision twice.
        HttpRequest put = HttpRequest.newBuilder(URI.create(base + "/v1/kv/flood-" + i + "?prev_revision=0&timeout=10s"))
            .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build();
        flood.add(clients.submit(() -> http.send(put, HttpResponse.BodyHandlers.ofString())));
      }
      clients.shutdown();
      List<Integer> admitted = new ArrayList<>();
      List<Integer> refused = new ArrayList<>();
      // On a loaded machine the group's leader may lose its lease mid-flood; a write it had appended then ends with
      // 504 TIMEOUT (outcome unknown), which is an honest answer but neither admitted nor refused.
      List<Integer> unknown = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        HttpResponse<String> r = flood.get(i).get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          admitted.add(i);
        } else if (r.statusCode() == 504) {
          assertThat(r.body()).contains("\"TIMEOUT\"");
          unknown.add(i);
        } else {
          assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
          assertThat(r.body()).contains("\"OVERLOADED\"");
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
          refused.add(i);
        }
      }
      System.out.printf("flood of %d writes from %d clients: %d admitted, %d refused, %d outcome unknown%n", FLOOD,
          CLIENTS, admitted.size(), refused.size(), unknown.size());
      assertThat(admitted).isNotEmpty();
      assertThat(refused).as("the flood exceeded the bound").isNotEmpty();

      int unknownApplied = 0;
      for (int i = 0; i < FLOOD; i++) {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/flood-" + i
            + "?timeout=10s")).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (admitted.contains(i) || (unknown.contains(i) && get.statusCode() == 200)) {
          assertThat(get.statusCode()).as("admitted write %d is there", i).isEqualTo(200);
          assertThat(get.body()).isEqualTo("v" + i);
          assertThat(get.headers().firstValue("X-RaftRing-Version")).as("written once").hasValue("1");
          unknownApplied += unknown.contains(i) ? 1 : 0;
        } else {
          assertThat(get.statusCode()).as("refused write %d did nothing", i).isEqualTo(404);
        }
      }
      HttpResponse<String> last = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/flood-" + admitted.get(0)
          + "?timeout=10s")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(last.headers().firstValue("X-RaftRing-Revision"))
          .as("the group applied exactly the admitted writes (and those of unknown outcome that took effect)")
          .hasValue(Integer.toString(admitted.size() + unknownApplied));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
