package io.raftring.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.raftring.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the HTTP layer of a real one-node RaftRing (two groups, admission control, every route but the test-only
 * fault injection) with seeded random and adversarial requests over raw sockets, one connection each. For every
 * request: an answer comes, it is not a 500, an error answer is the JSON {@code {"error","message"}} and never
 * INTERNAL, and a request that was refused changed nothing in the store. The node must still serve at the end.
 *
 * <p>The seed is printed, and named in every failure: replay with {@code -Draftring.fuzz.seed=N}; the number of
 * requests is {@code -Draftring.fuzz.requests} (default 2,000).
 */
class HttpFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = Integer.getInteger("raftring.fuzz.requests", 2_000);
  private static final int MAX_JSON_BYTES = 16 * 1024;

  @Test
  void noRequestCrashesTheNodeGetsA500OrChangesTheStoreWhenRefused() throws Exception {
    long seed = Long.getLong("raftring.fuzz.seed", System.nanoTime());
    String replay = "fuzz seed " + seed + " (replay with -Draftring.fuzz.seed=" + seed + ")";
    System.out.println("HttpFuzzTest: " + replay + ", " + REQUESTS + " requests");
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    try (LocalCluster cluster = LocalCluster.start(List.of("n1"), 2, ConfigFactory.parseString(String.join("\n",
        "raftring.cluster.replication-factor = 1",
        "raftring.kv { max-key-bytes = 256, max-value-bytes = 4KiB }",
        "raftring.http { body-read-timeout = 1s, request-head-timeout = 2s, json.max-bytes = 16KiB }",
        "raftring.bft.run-timeout = 5s",
        "raftring.admission.max-in-flight = 16",
        // A fatal error must fail this test, not end the JVM that runs it.
        "akka.jvm-exit-on-fatal-error = off")))) {
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
        assertThat(cluster.node("n1").raftRing().notReadyReason()).isEmpty();
        return null;
      });
      RawHttp http = new RawHttp(cluster.httpPort("n1"), 15_000);
      RequestFuzzer fuzzer = new RequestFuzzer(new Random(seed), MAX_JSON_BYTES);
      int refused = 0;
      int unfinished = 0;
      java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
      for (int i = 0; i < REQUESTS; i++) {
        FuzzRequest request = fuzzer.next();
        String what = replay + ", request " + i + ": " + request.describe();
        String storeBefore = request.mayMutate() ? store(http, what) : null;

        RawHttp.Answer answer = http.send(request.bytes(), request.isHead());

        if (answer.problem() != null && !request.headEnds()) {
          unfinished++;
          continue; // a request that never ended gets no answer; the node's health is checked at the end
        }
        assertThat(answer.problem()).as("no answer; %s", what).isNull();
        statuses.merge(answer.status(), 1, Integer::sum);
        assertThat(answer.status()).as("status; %s%nanswer: %s", what, answer.bodyText()).isNotEqualTo(500);
        if (answer.status() >= 400 && !request.isHead()) {
          assertThat(answer.header("Content-Type")).as("error type; %s", what).startsWith("application/json");
          JsonNode error = JSON.readTree(answer.body());
          assertThat(error.path("error").isTextual()).as("error code; %s%nanswer: %s", what, answer.bodyText()).isTrue();
          assertThat(error.path("message").isTextual()).as("error message; %s", what).isTrue();
          assertThat(error.get("error").asText()).as("error code; %s", what).isNotEqualTo("INTERNAL");
        }
        if (storeBefore != null && answer.status() >= 300) {
          refused++;
          assertThat(store(http, what)).as("a refused request changed the store; %s%nanswer: %d %s", what,
              answer.status(), answer.bodyText()).isEqualTo(storeBefore);
        }
        if (request.target().startsWith("/v1/admin/rate-limits") && answer.status() == 200) {
          unlimit(http, what); // an accepted change would throttle the rest of the run
        }
      }
      assertThat(http.send(get("/health/alive"), false).status()).as("alive at the end; %s", replay).isEqualTo(200);
      System.out.println("HttpFuzzTest: " + REQUESTS + " requests, answers by status " + statuses + ", "
          + refused + " refused mutations checked, " + unfinished + " unfinished heads closed unanswered, store now "
          + store(http, replay).length() + " bytes of JSON");
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Every key-value of the store, read from the node's applied state. */
  private static String store(RawHttp http, String what) {
    RawHttp.Answer answer = http.send(get("/v1/kv?limit=10000&consistency=stale"), false);
    assertThat(answer.status()).as("reading the store; %s%nanswer: %s", what, answer.bodyText()).isEqualTo(200);
    try {
      JsonNode page = JSON.readTree(answer.body());
      assertThat(page.get("more").asBoolean()).isFalse();
      return page.get("kvs").toString();
    } catch (java.io.IOException e) {
      throw new AssertionError("the store's page is not JSON; " + what, e);
    }
  }

  private static void unlimit(RawHttp http, String what) {
    byte[] body = "{\"per_client_rate\":0,\"per_node_rate\":0}".getBytes(StandardCharsets.UTF_8);
    byte[] request = ("PUT /v1/admin/rate-limits HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[request.length + body.length];
    System.arraycopy(request, 0, all, 0, request.length);
    System.arraycopy(body, 0, all, request.length, body.length);
    assertThat(http.send(all, false).status()).as("resetting the rate limits; %s", what).isEqualTo(200);
  }

  private static byte[] get(String target) {
    return ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }
}
