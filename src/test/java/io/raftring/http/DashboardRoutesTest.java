package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files as the server hands them out (its data routes need a RaftRing node: DashboardBrowserTest). */
class DashboardRoutesTest {

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
  void uiRedirectsToItsDirectorySoThePagesRelativeLinksResolve() throws Exception {
    HttpResponse<byte[]> res = server.get("/ui");

    assertThat(res.statusCode()).isEqualTo(308);
    assertThat(res.headers().firstValue("Location")).hasValue("/ui/");
  }

  @Test
  void thePageComesWithAPolicyThatRunsOnlyItsOwnScriptsAndForbidsFraming() throws Exception {
    HttpResponse<byte[]> res = server.get("/ui/");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("<script src=\"dashboard.js\" defer>");
    assertThat(res.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
        .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline"));
    assertThat(res.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void theScriptAndStylesAreServedWithTheirTypes() throws Exception {
    assertThat(server.get("/ui/dashboard.js").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    assertThat(server.get("/ui/dashboard.css").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
  }

  @Test
  void anythingElseUnderUiIsAJsonNotFoundAndNothingOutsideTheDirectoryIsReachable() throws Exception {
    TestServer.assertError(server.get("/ui/missing.js"), 404, "NOT_FOUND");
    // A dot segment is refused before any route sees the path.
    TestServer.assertError(server.get("/ui/../reference.conf"), 400, "BAD_REQUEST");
    TestServer.assertError(server.get("/ui/%2e%2e/reference.conf"), 400, "BAD_REQUEST");
    TestServer.assertError(server.get("/ui/%2Freference.conf"), 404, "NOT_FOUND");
  }

  @Test
  void errorAnswersAreCountedByTheirCode() throws Exception {
    server.get("/v1/kv/no-such-key");

    assertThat(server.metrics.scrape())
        .contains("raftring_http_errors_total{route=\"/v1/kv/{key}\",code=\"NOT_FOUND\"} 1");
  }
}
