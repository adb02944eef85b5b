package io.raftring.http;

import static io.raftring.http.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node on loopback without authentication (the development default) and what a web page in the same machine's
 * browser can make it do: nothing, whether by a cross-site "simple" request or by rebinding its host name.
 */
class CrossSiteRequestsTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCrossSiteSimplePostIsRefusedAndChangesNothing() throws Exception {
    assertError(server.send("POST", "/v1/kv/from-a-web-page", "v".getBytes(StandardCharsets.UTF_8),
        "Origin", "https://evil.example", "Content-Type", "text/plain"), 403, "FORBIDDEN");
    assertError(server.send("PUT", "/v1/kv/from-a-web-page", "v".getBytes(StandardCharsets.UTF_8),
        "Origin", "https://evil.example", "Content-Type", "text/plain"), 403, "FORBIDDEN");
    assertError(server.send("POST", "/v1/bft/run", "{\"algorithm\":\"om\",\"n\":4,\"m\":1}".getBytes(),
        "Origin", "null", "Content-Type", "text/plain"), 403, "FORBIDDEN");
    assertThat(server.kv.snapshot()).doesNotContainKey("from-a-web-page");
  }

  @Test
  void aPreflightFromAnOriginNotAllowedIsRefused() throws Exception {
    assertError(server.send("OPTIONS", "/v1/kv/k", null, "Origin", "https://evil.example",
        "Access-Control-Request-Method", "PUT"), 403, "FORBIDDEN");
  }

  @Test
  void requestsWithoutOriginAreServedAsBefore() throws Exception {
    assertThat(server.put("/v1/kv/from-curl", "v").statusCode()).isEqualTo(200);
    assertThat(server.kv.snapshot()).containsKey("from-curl");
  }

  @Test
  void aRequestAddressedToAnotherHostNameIsRefusedAgainstDnsRebinding() throws Exception {
    String answer = server.raw("PUT /v1/kv/rebound HTTP/1.1\r\nHost: rebound.example:8080\r\n"
        + "Content-Length: 1\r\nConnection: close\r\n\r\n", "v".getBytes(StandardCharsets.UTF_8));
    assertThat(answer).startsWith("HTTP/1.1 403").contains("FORBIDDEN").contains("loopback");
    assertThat(server.kv.snapshot()).doesNotContainKey("rebound");
  }
}
