package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the findings of issue 14, one per finding, against the whole server (routes, error handling,
 * admission) over fakes: no request, however hostile, stops the node, and a refused one changes nothing.
 */
class HostileRequestsTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer(TestServer.SETTINGS, TestServer.unlimitedAdmission());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] nested(int depth) {
    return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aBodyNestedTenThousandDeepIsA400AndTheNodeKeepsServing() throws Exception {
    for (String path : new String[] {"/v1/bft/run", "/v1/admin/rate-limits"}) {
      String method = path.startsWith("/v1/bft") ? "POST" : "PUT";
      var res = server.send(method, path, nested(10_000), "Content-Type", "application/json");
      JsonNode error = TestServer.assertError(res, 400, "BAD_REQUEST");
      assertThat(error.get("message").asText()).as(path).contains("deeper than the limit of 32 levels");
      assertThat(server.get("/health/alive").statusCode()).isEqualTo(200);
    }
    var limits = TestServer.json(server.get("/v1/admin/rate-limits"));
    assertThat(limits.get("per_client_rate").asDouble()).as("the refused update changed nothing").isZero();
  }

  @Test
  void anUnknownMethodIs501NotImplementedAndAnUnknownVersion505() throws Exception {
    String method = server.raw("BREW /v1/kv/k HTTP/1.1\r\nHost: localhost\r\n\r\n", new byte[0]);
    assertThat(method).startsWith("HTTP/1.1 501").contains("\"error\":\"NOT_IMPLEMENTED\"");
    String version = server.raw("GET /v1/kv/k HTTP/1.2\r\nHost: localhost\r\n\r\n", new byte[0]);
    assertThat(version).startsWith("HTTP/1.1 505").contains("\"error\":\"HTTP_VERSION_NOT_SUPPORTED\"");
    var wrongMethod = server.send("PATCH", "/v1/kv/k", "v".getBytes(StandardCharsets.UTF_8));
    TestServer.assertError(wrongMethod, 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void dotSegmentsNeverCarryARequestIntoAnotherRoute() throws Exception {
    // Issue 14: /v1/kv/../admin/rate-limits was served by the admin route.
    String[] paths = {"/v1/kv/../admin/rate-limits", "/v1/kv/./../admin/rate-limits", "/v1/./kv/k", "/v1/kv/k/..",
        "/v1/kv/a/../../admin/rate-limits", "/v1/kv/%2E%2E/admin/rate-limits", "/v1/kv/%2e./admin/rate-limits"};
    for (String path : paths) {
      String answer = server.raw("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 22\r\n\r\n",
          "{\"per_client_rate\": 1}".getBytes(StandardCharsets.UTF_8));
      assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("dot segment");
    }
    assertThat(TestServer.json(server.get("/v1/admin/rate-limits")).get("per_client_rate").asDouble()).isZero();
    // A key that only contains dots is still a key.
    assertThat(server.put("/v1/kv/...", "dots").statusCode()).isEqualTo(200);
    assertThat(server.kv.snapshot()).containsKey("...");
  }

  @Test
  void aKeyOfTheFullSizeIsReachableFullyPercentEncoded() throws Exception {
    // Issue 14: keys of 683-1,024 bytes that need percent-encoding were legal but refused with 414.
    try (TestServer big = new TestServer(
        TestServer.SETTINGS.withLimits(io.raftring.kv.KvLimits.DEFAULT), TestServer.unlimitedAdmission())) {
      String key = "\u00e9".repeat(512); // 1,024 bytes of UTF-8, 3,072 characters percent-encoded
      String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
      assertThat(big.put("/v1/kv/" + encoded, "v").statusCode()).isEqualTo(200);
      String below = encoded.substring(6); // 511 times e-acute
      String above = below + "%C3%AA"; // then e-circumflex: 1,024 bytes again
      var range = big.get("/v1/kv?from=" + below + "&to=" + above + "&limit=5");
      assertThat(TestServer.json(range).get("count").asInt()).isEqualTo(1);
      TestServer.assertError(big.put("/v1/kv/" + encoded + "a", "v"), 413, "TOO_LARGE");
    }
  }

  @Test
  void aRateThatIsNotAFiniteNumberIsA400() throws Exception {
    // Issue 14: a rate of 1e400 was stored as Infinity.
    for (String body : new String[] {"{\"per_client_rate\": 1e400}", "{\"per_node_burst\": -1e400}"}) {
      var res = server.send("PUT", "/v1/admin/rate-limits", body.getBytes(StandardCharsets.UTF_8));
      assertThat(TestServer.assertError(res, 400, "BAD_REQUEST").get("message").asText()).contains("finite");
    }
    assertThat(TestServer.json(server.get("/v1/admin/rate-limits")).get("per_client_rate").asDouble()).isZero();
  }
}
