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
}
