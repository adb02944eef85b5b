package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsRoutesTest {

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
  void metricsCountEveryRequestByRouteTemplateMethodAndStatus() throws Exception {
    server.put("/v1/kv/secret-key-1", "v");
    server.put("/v1/kv/secret-key-2", "v");
    server.get("/v1/kv/missing");
    server.get("/no/such/path");
    server.send("POST", "/v1/kv/k", new byte[0]);

    HttpResponse<byte[]> res = server.get("/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain").contains("version=0.0.4"));
    String text = TestServer.text(res);
    assertThat(text)
        .contains("# TYPE raftring_http_requests_total counter\n")
        .contains("raftring_http_requests_total{route=\"/v1/kv/{key}\",method=\"PUT\",status=\"200\"} 2\n")
        .contains("raftring_http_requests_total{route=\"/v1/kv/{key}\",method=\"GET\",status=\"404\"} 1\n")
        .contains("raftring_http_requests_total{route=\"other\",method=\"GET\",status=\"404\"} 1\n")
        .contains("raftring_http_requests_total{route=\"/v1/kv/{key}\",method=\"POST\",status=\"405\"} 1\n")
        .contains("# TYPE raftring_http_request_duration_seconds histogram\n")
        .contains("raftring_http_request_duration_seconds_bucket{route=\"/v1/kv/{key}\",method=\"PUT\",le=\"+Inf\"} 2\n")
        .contains("raftring_http_request_duration_seconds_count{route=\"/v1/kv/{key}\",method=\"PUT\"} 2\n")
        .doesNotContain("secret-key");
  }

  @Test
  void routeTemplatesHaveFewValues() {
    assertThat(HttpMetrics.routeTemplate("/v1/kv/a/b/c")).isEqualTo("/v1/kv/{key}");
    assertThat(HttpMetrics.routeTemplate("/v1/kv")).isEqualTo("/v1/kv");
    assertThat(HttpMetrics.routeTemplate("/health/ready")).isEqualTo("/health/ready");
    assertThat(HttpMetrics.routeTemplate("/v1/watch")).isEqualTo("/v1/watch");
    assertThat(HttpMetrics.routeTemplate("/v1/watch/ws")).isEqualTo("/v1/watch/ws");
    assertThat(HttpMetrics.routeTemplate("/v1/leases/keepalive")).isEqualTo("/v1/leases/keepalive");
    assertThat(HttpMetrics.routeTemplate("/v1/leases/694d7a2c1b3e5f01")).isEqualTo("/v1/leases/{id}");
    assertThat(HttpMetrics.routeTemplate("/v1/leases/694d7a2c1b3e5f01/keepalive"))
        .isEqualTo("/v1/leases/{id}/keepalive");
    assertThat(HttpMetrics.routeTemplate("/v1/locks/nightly-report")).isEqualTo("/v1/locks/{name}");
    assertThat(HttpMetrics.routeTemplate("/v1/elections/primary")).isEqualTo("/v1/elections/{name}");
    assertThat(HttpMetrics.routeTemplate("/anything/else")).isEqualTo("other");
  }
}
