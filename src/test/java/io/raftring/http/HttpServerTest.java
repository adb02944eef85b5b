package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.CoordinatedShutdown;
import com.typesafe.config.ConfigFactory;
import io.raftring.kv.KvLimits;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpServerTest {

  @Test
  void settingsDefaultToTheReferenceConfiguration() {
    HttpSettings settings = HttpSettings.fromConfig(ConfigFactory.load());
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.maxRequestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.limits()).isEqualTo(new KvLimits(1024, 1024 * 1024));
    assertThat(settings.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.terminationDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.reads()).isEqualTo(ReadLimits.DEFAULT);
    assertThat(settings.json()).isEqualTo(JsonLimits.DEFAULT);
    assertThat(settings.trustedProxies().isEmpty()).as("no forwarding header is believed by default").isTrue();
  }

  @Test
  void settingsAreReadFromRaftringHttpWithTheStoresSizeLimits() {
    HttpSettings settings = HttpSettings.fromConfig(ConfigFactory.parseString(
            "raftring.http { host = \"0.0.0.0\", port = 9000, request-timeout = 500ms },"
                + " raftring.kv { max-key-bytes = 64, max-value-bytes = 4 MiB }")
        .withFallback(ConfigFactory.load()));
    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.port()).isEqualTo(9000);
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.limits()).isEqualTo(new KvLimits(64, 4 << 20));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> HttpSettings.fromConfig(
            ConfigFactory.parseString("raftring.http.request-timeout = 0s").withFallback(ConfigFactory.load())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpSettings.fromConfig(
            ConfigFactory.parseString("raftring.http.request-timeout = 1m").withFallback(ConfigFactory.load())))
        .hasMessageContaining("max-request-timeout");
  }

  @Test
  void coordinatedShutdownUnbindsTheServer() throws Exception {
    TestServer server = new TestServer();
    int port = server.binding.localAddress().getPort();
    assertThat(server.get("/health/alive").statusCode()).isEqualTo(200);

    CoordinatedShutdown.get(server.testKit.system())
        .runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    server.close();
  }

  @Test
  void aForgedRawRequestUriCannotRedirectAWrite() throws Exception {
    try (TestServer server = new TestServer()) {
      var res = server.send("PUT", "/v1/kv/mine", "v".getBytes(), "Raw-Request-URI", "/v1/kv/yours");
      assertThat(server.kv.snapshot()).doesNotContainKey("yours");
      if (res.statusCode() == 200) {
        assertThat(server.kv.snapshot()).containsKey("mine");
      } else {
        TestServer.assertError(res, 400, "BAD_REQUEST");
      }
    }
  }

  @Test
  void anIdleWebSocketIsPingedAtHalfTheIdleTimeoutUnlessTheOperatorChoseAKeepAlive() {
    HttpSettings settings = HttpSettings.fromConfig(ConfigFactory.load());
    var pinged = HttpServer.serverSettings(
        ConfigFactory.parseString("akka.http.server.idle-timeout = 40s").withFallback(ConfigFactory.load()), settings);
    assertThat(pinged.getWebsocketSettings().periodicKeepAliveMaxIdle().toMillis()).isEqualTo(20_000);

    var chosen = HttpServer.serverSettings(ConfigFactory.parseString(
            "akka.http.server.websocket.periodic-keep-alive-max-idle = 7s").withFallback(ConfigFactory.load()),
        settings);
    assertThat(chosen.getWebsocketSettings().periodicKeepAliveMaxIdle().toMillis()).isEqualTo(7_000);

    var never = HttpServer.serverSettings(
        ConfigFactory.parseString("akka.http.server.idle-timeout = infinite").withFallback(ConfigFactory.load()),
        settings);
    assertThat(never.getWebsocketSettings().periodicKeepAliveMaxIdle().isFinite()).isFalse();
  }
}
