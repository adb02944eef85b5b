package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import io.raftring.admission.Admission;
import io.raftring.admission.RateLimits;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.security.BearerTokens;
import io.raftring.security.Role;
import io.raftring.security.TokenRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission control in front of the KV routes: 429 past a rate limit, 503 OVERLOADED past the in-flight bound. */
class AdmissionRoutesTest {

  private final ActorTestKit kit = ActorTestKit.create();
  private final FakeKvApi kv = new FakeKvApi();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Admission admission;
  private String base;

  private void start(Admission.Settings settings) throws Exception {
    start(settings, TestServer.SETTINGS);
  }

  private void start(Admission.Settings settings, HttpSettings http) throws Exception {
    start(settings, http, HttpSecurity.none());
  }

  private void start(Admission.Settings settings, HttpSettings http, HttpSecurity security) throws Exception {
    admission = new Admission(settings);
    ServerBinding binding = HttpServer.start(kit.system(), kv, new FakeClusterApi(), new MetricsRegistry(),
        http, admission, security).toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (admission != null) {
      admission.close();
    }
    kit.shutdownTestKit();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientOverItsRateGets429WithRetryAfterWhateverHeadersItSends() throws Exception {
    start(new Admission.Settings(100, 100, Duration.ofMillis(100), new RateLimits.Limits(0.01, 2, 0, 1), 100));
    for (int i = 0; i < 2; i++) {
      assertThat(send(request("/v1/kv/k").GET().build()).statusCode()).isEqualTo(404);
    }
    HttpResponse<String> limited = send(request("/v1/kv/k").GET().build());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("\"RATE_LIMITED\"");
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    // Issue 14: a client chose its bucket with X-Api-Key, X-Forwarded-For or X-Real-IP; without a trusted proxy
    // those name nobody, and the bucket is the connection's address.
    for (String[] header : new String[][] {{"X-Api-Key", "bob"}, {"X-Forwarded-For", "10.9.8.7"},
        {"X-Real-IP", "10.9.8.6"}}) {
      assertThat(send(request("/v1/kv/k").header(header[0], header[1]).GET().build()).statusCode())
          .as(header[0]).isEqualTo(429);
    }
    int callsBefore = kv.calls.size();
    send(request("/v1/kv/k").PUT(HttpRequest.BodyPublishers.ofString("v")).build());
    assertThat(kv.calls).as("a refused request does no work").hasSize(callsBefore);
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnBucket() throws Exception {
    start(new Admission.Settings(100, 100, Duration.ofMillis(100), new RateLimits.Limits(0.01, 2, 0, 1), 100),
        TestServer.SETTINGS.withTrustedProxies(TrustedProxies.of(List.of("127.0.0.0/8"))));
    for (int i = 0; i < 2; i++) {
      assertThat(send(request("/v1/kv/k").header("X-Forwarded-For", "10.0.0.1").GET().build()).statusCode())
          .isEqualTo(404);
    }
    // The proxy appended the client's address after one the client sent itself: the client is 10.0.0.1.
    HttpResponse<String> spoofed = send(request("/v1/kv/k").header("X-Forwarded-For", "10.0.0.2, 10.0.0.1").GET().build());
    assertThat(spoofed.statusCode()).isEqualTo(429);
    assertThat(spoofed.body()).contains("client 10.0.0.1");
    assertThat(send(request("/v1/kv/k").header("X-Forwarded-For", "10.0.0.2").GET().build()).statusCode())
        .as("another client behind the proxy").isEqualTo(404);
  }

  @Test
  void withAuthenticationEachTokenNameHasItsOwnBucketWhereverItConnectsFrom(@TempDir Path tmp) throws Exception {
    String alice = BearerTokens.generate(new SecureRandom());
    String aliceAgain = BearerTokens.generate(new SecureRandom());
    String bob = BearerTokens.generate(new SecureRandom());
    Path tokens = tmp.resolve("tokens");
    // Two tokens of one name are one caller (a token being rotated), so they share a bucket.
    Files.writeString(tokens, String.join("\n", TokenRegistry.line("alice", Role.READ, alice),
        TokenRegistry.line("alice", Role.READ, aliceAgain), TokenRegistry.line("bob", Role.READ, bob)));
    start(new Admission.Settings(100, 100, Duration.ofMillis(100), new RateLimits.Limits(0.01, 2, 0, 1), 100),
        TestServer.SETTINGS, HttpSecurity.none().withTokensFile(tokens));
    for (String token : List.of(alice, aliceAgain)) {
      assertThat(send(request("/v1/kv/k").header("Authorization", "Bearer " + token).GET().build()).statusCode())
          .isEqualTo(404);
    }
    HttpResponse<String> limited = send(request("/v1/kv/k").header("Authorization", "Bearer " + alice).GET().build());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(send(request("/v1/kv/k").header("Authorization", "Bearer " + bob).GET().build()).statusCode())
        .as("another caller from the same address").isEqualTo(404);
  }

  @Test
  void pastTheInFlightBoundRequestsAreRefusedFastWith503() throws Exception {
    start(new Admission.Settings(2, 1, Duration.ofMillis(100), RateLimits.Limits.unlimited(), 100));
    kv.hang = true;
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(client.sendAsync(request("/v1/kv/held-" + i).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
    // Both slots are taken once the fake has seen both reads.
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(kv.calls).hasSize(2);
      return null;
    });
    CompletableFuture<HttpResponse<String>> waits = client.sendAsync(request("/v1/kv/w").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> queueFull = send(request("/v1/kv/x").GET().build());
    HttpResponse<String> queueTimedOut = waits.get(5, TimeUnit.SECONDS);
    for (HttpResponse<String> refused : List.of(queueFull, queueTimedOut)) {
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("\"OVERLOADED\"");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
    assertThat(kv.calls).as("refused requests never reached the store").hasSize(2);
    for (CompletableFuture<HttpResponse<String>> h : held) {
      assertThat(h.get(10, TimeUnit.SECONDS).statusCode()).as("held requests end at their deadline").isEqualTo(504);
    }
    kv.hang = false;
    assertThat(send(request("/v1/kv/after").GET().build()).statusCode()).as("slots were released").isEqualTo(404);
  }

  @Test
  void rateLimitsChangeAtRuntimeThroughTheAdminEndpoint() throws Exception {
    start(new Admission.Settings(100, 100, Duration.ofMillis(100), RateLimits.Limits.unlimited(), 100));
    HttpResponse<String> updated = send(request("/v1/admin/rate-limits")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"per_client_rate\": 0.01, \"per_client_burst\": 1}")).build());
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(send(request("/v1/admin/rate-limits").GET().build()).body()).contains("\"per_client_rate\":0.01");
    assertThat(send(request("/v1/kv/k").GET().build()).statusCode()).isEqualTo(404);
    assertThat(send(request("/health/alive").GET().build()).statusCode()).as("health is never limited").isEqualTo(200);
    assertThat(send(request("/v1/kv/k").GET().build()).statusCode()).isEqualTo(429);
    HttpResponse<String> bad = send(request("/v1/admin/rate-limits")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"per_client_rate\": -5}")).build());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"BAD_REQUEST\"");
    HttpResponse<String> unknown = send(request("/v1/admin/rate-limits")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"burst\": 5}")).build());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(send(request("/v1/admin/rate-limits").GET().build()).body()).contains("\"per_client_rate\":0.01");
  }
}
