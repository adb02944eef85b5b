package io.raftring.http;

import static io.raftring.http.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.ConfigFactory;
import io.raftring.admission.Admission;
import io.raftring.admission.RateLimits;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.security.BearerTokens;
import io.raftring.security.DevCertificates;
import io.raftring.security.Role;
import io.raftring.security.SslContexts;
import io.raftring.security.TlsSettings;
import io.raftring.security.TokenRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole HTTP server over fakes, on HTTPS with certificates made by the test and bearer tokens of each role:
 * every request of these tests goes over TLS, except the one that checks plain HTTP gets no answer.
 */
class SecureHttpServerTest {

  @TempDir static Path tmp;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String READER = BearerTokens.generate(RANDOM);
  private static final String WRITER = BearerTokens.generate(RANDOM);
  private static final String ADMIN = BearerTokens.generate(RANDOM);
  private static final String ALLOWED_ORIGIN = "https://ops.example.com";

  private static ActorTestKit kit;
  private static DevCertificates ca;
  private static TlsSettings nodeTls;
  private static HttpSecurity security;
  private static Admission admission;
  private static final FakeKvApi kv = new FakeKvApi();
  private static final MetricsRegistry metrics = new MetricsRegistry();
  private static HttpClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    ca = DevCertificates.openOrCreate(tmp);
    nodeTls = ca.node("n1", List.of("127.0.0.1"));
    Path tokens = tmp.resolve("tokens");
    Files.writeString(tokens, String.join("\n",
        TokenRegistry.line("reader", Role.READ, READER),
        TokenRegistry.line("writer", Role.WRITE, WRITER),
        TokenRegistry.line("root", Role.ADMIN, ADMIN)));
    security = HttpSecurity.none().withTls(nodeTls, HttpSecurity.ClientAuth.NONE).withTokensFile(tokens)
        .withAllowedOrigins(List.of(ALLOWED_ORIGIN));
    admission = new Admission(Admission.Settings.fromConfig(ConfigFactory.load()));
    port = bind(security).localAddress().getPort();
    client = HttpClient.newBuilder().sslContext(SslContexts.trusting(ca.caFile()))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static ServerBinding bind(HttpSecurity s) throws Exception {
    return HttpServer.start(kit.system(), kv, new FakeClusterApi(), metrics, TestServer.SETTINGS, admission, s)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    admission.close();
    kit.shutdownTestKit();
  }

  private static HttpResponse<byte[]> send(String method, String path, String token, String body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void healthProbesAnswerWithoutAToken() throws Exception {
    assertThat(send("GET", "/health/alive", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void theDashboardPageLoadsWithoutATokenButWhatItShowsNeedsOne() throws Exception {
    assertThat(send("GET", "/ui/", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ui/dashboard.js", null, null).statusCode()).isEqualTo(200);
    assertError(send("GET", "/v1/cluster", null, null), 401, "UNAUTHENTICATED");
    assertError(send("GET", "/v1/cluster/members", null, null), 401, "UNAUTHENTICATED");
    assertThat(send("GET", "/v1/cluster", READER, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestWithoutATokenIs401WithABearerChallenge() throws Exception {
    HttpResponse<byte[]> res = send("GET", "/v1/kv/k", null, null);
    assertError(res, 401, "UNAUTHENTICATED");
    assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"raftring\"");
    assertError(send("GET", "/metrics", null, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void aWrongTokenIs401AndChangesNothing() throws Exception {
    HttpResponse<byte[]> res = send("PUT", "/v1/kv/wrong-token", BearerTokens.generate(RANDOM), "v");
    assertError(res, 401, "UNAUTHENTICATED");
    assertThat(res.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"raftring\", error=\"invalid_token\"");
    assertError(send("GET", "/v1/kv/k", null, null, "Authorization", "Basic dXNlcjpwdw=="), 401, "UNAUTHENTICATED");
    assertThat(kv.snapshot()).doesNotContainKey("wrong-token");
  }

  @Test
  void aReadTokenReadsButCannotWrite() throws Exception {
    assertThat(send("GET", "/v1/kv/nothing-here", READER, null).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> res = send("PUT", "/v1/kv/read-only", READER, "v");
    assertError(res, 403, "FORBIDDEN");
    assertThat(res.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"raftring\", error=\"insufficient_scope\"");
    assertThat(kv.snapshot()).doesNotContainKey("read-only");
    assertThat(metrics.scrape()).contains("raftring_http_refused_total{reason=\"forbidden_role\"}");
  }

  @Test
  void aWriteTokenWritesButCannotAdministerTheNode() throws Exception {
    assertThat(send("PUT", "/v1/kv/written", WRITER, "v").statusCode()).isEqualTo(200);
    assertThat(kv.snapshot()).containsKey("written");
    RateLimits.Limits before = admission.rateLimits().limits();
    assertError(send("PUT", "/v1/admin/rate-limits", WRITER, "{\"per_node_rate\": 1}"), 403, "FORBIDDEN");
    assertError(send("POST", "/v1/bft/run", WRITER, "{\"algorithm\":\"om\",\"n\":4,\"m\":1}",
        "Content-Type", "application/json"), 403, "FORBIDDEN");
    assertError(send("POST", "/v1/cluster/nodes/n2/decommission", WRITER, null), 403, "FORBIDDEN");
    assertThat(admission.rateLimits().limits()).isEqualTo(before);
  }

  @Test
  void dotSegmentsAndPercentEncodingDoNotCarryAWriteTokenIntoTheAdminRoutes() throws Exception {
    RateLimits.Limits before = admission.rateLimits().limits();
    HttpResponse<byte[]> res = send("PUT", "/v1/kv/../admin/rate-limits", WRITER, "{\"per_node_rate\": 1}");
    assertThat(res.statusCode()).isNotEqualTo(200);
    assertError(send("PUT", "/v1/%61dmin/rate-limits", WRITER, "{\"per_node_rate\": 1}"), 403, "FORBIDDEN");
    assertThat(send("PUT", "/v1/kv%2F..%2Fadmin/rate-limits", WRITER, "{\"per_node_rate\": 1}").statusCode())
        .isNotEqualTo(200);
    assertThat(admission.rateLimits().limits()).isEqualTo(before);
  }

  @Test
  void anAdminTokenMayChangeRateLimits() throws Exception {
    HttpResponse<byte[]> res = send("GET", "/v1/admin/rate-limits", ADMIN, null);
    assertThat(res.statusCode()).isEqualTo(200);
  }

  @Test
  void plainHttpToTheHttpsPortGetsNoAnswer() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> plain.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/alive"))
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aCrossSiteRequestFromAnOriginNotAllowedIsRefusedEvenWithAToken() throws Exception {
    HttpResponse<byte[]> res = send("PUT", "/v1/kv/cross-site", ADMIN, "v", "Origin", "https://evil.example");
    assertError(res, 403, "FORBIDDEN");
    assertThat(TestServer.text(res)).contains("allowed-origins");
    assertThat(kv.snapshot()).doesNotContainKey("cross-site");
  }

  @Test
  void anAllowedOriginGetsItsPreflightAndCorsHeaders() throws Exception {
    HttpResponse<byte[]> preflight = send("OPTIONS", "/v1/kv/k", null, null,
        "Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "PUT",
        "Access-Control-Request-Headers", "authorization");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
        v -> assertThat(v).contains("Authorization"));
    HttpResponse<byte[]> put = send("PUT", "/v1/kv/from-ops", WRITER, "v", "Origin", ALLOWED_ORIGIN);
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
    assertError(send("OPTIONS", "/v1/kv/k", null, null, "Origin", "https://evil.example",
        "Access-Control-Request-Method", "PUT"), 403, "FORBIDDEN");
  }

  @Test
  void requiredClientCertificatesKeepOutAClientWithoutOne() throws Exception {
    int mtlsPort = bind(security.withTls(nodeTls, HttpSecurity.ClientAuth.NEED)).localAddress().getPort();
    URI alive = URI.create("https://127.0.0.1:" + mtlsPort + "/health/alive");
    HttpRequest request = HttpRequest.newBuilder(alive).timeout(Duration.ofSeconds(10)).build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);

    SSLContext withCertificate = SslContexts.forNode(ca.node("ops-client", List.of()));
    HttpClient mtls = HttpClient.newBuilder().sslContext(withCertificate).build();
    assertThat(mtls.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  @Test
  void clientCertificatesWithoutTlsOrACaAreAConfigurationError() {
    assertThatThrownBy(() -> HttpSecurity.none().withTls(TlsSettings.pem(tmp, tmp, null), HttpSecurity.ClientAuth.NEED))
        .hasMessageContaining("client-auth");
    assertThatThrownBy(() -> HttpSecurity.fromConfig(ConfigFactory.parseString(
            "raftring.http.tls.client-auth = sometimes").withFallback(ConfigFactory.load())))
        .hasMessageContaining("none, want or need");
  }

  @Test
  void aMissingTokensFileStopsTheServerFromStarting() {
    assertThatThrownBy(() -> bind(security.withTokensFile(tmp.resolve("absent"))))
        .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent");
  }

  @Test
  void anUnauthenticatedServerOnANetworkAddressRefusesToStart() {
    HttpSettings everywhere = new HttpSettings("0.0.0.0", 0, Duration.ofSeconds(2), Duration.ofSeconds(15),
        TestServer.SETTINGS.limits(), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThatThrownBy(() -> HttpServer.start(kit.system(), kv, new FakeClusterApi(), metrics, everywhere, null,
            HttpSecurity.none()).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasMessageContaining("raftring.http.insecure");
  }
}
