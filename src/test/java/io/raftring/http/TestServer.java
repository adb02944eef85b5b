package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.admission.Admission;
import io.raftring.admission.RateLimits;
import io.raftring.kv.KvLimits;
import io.raftring.metrics.MetricsRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The whole HTTP server on 127.0.0.1, a free port, over fakes; and a client for it. */
final class TestServer implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Small limits so oversize requests stay small: keys up to 16 bytes, values up to 64 bytes. */
  static final HttpSettings SETTINGS = new HttpSettings(
      "127.0.0.1", 0, Duration.ofSeconds(2), Duration.ofSeconds(15), new KvLimits(16, 64), Duration.ofSeconds(3),
      Duration.ofSeconds(1));

  final ActorTestKit testKit = ActorTestKit.create();
  final FakeKvApi kv = new FakeKvApi();
  final FakeTxnApi txn = new FakeTxnApi();
  final FakeClusterApi cluster = new FakeClusterApi();
  final MetricsRegistry metrics = new MetricsRegistry();
  final ServerBinding binding;
  final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Admission admission;

  TestServer() throws Exception {
    this(SETTINGS, null);
  }

  /** The server with these settings, and admission control (with the admin routes) unless it is null. */
  TestServer(HttpSettings settings, Admission admission) throws Exception {
    this.admission = admission;
    binding = HttpServer.start(testKit.system(), kv, txn, cluster, metrics, settings, admission,
        HttpSecurity.fromConfig(testKit.system().settings().config()))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  /** Admission control that admits everything, so the admin routes are mounted. */
  static Admission unlimitedAdmission() {
    return new Admission(new Admission.Settings(64, 64, Duration.ofMillis(100), RateLimits.Limits.unlimited(), 100));
  }

  HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
    return send("GET", pathAndQuery, null, headers);
  }

  HttpResponse<byte[]> put(String pathAndQuery, String value) throws Exception {
    return send("PUT", pathAndQuery, value.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> delete(String pathAndQuery) throws Exception {
    return send("DELETE", pathAndQuery, null);
  }

  /** Sends bytes on a fresh socket as they are (for requests HttpClient refuses to make) and returns the answer. */
  String raw(String requestHead, byte[] bodyStart) throws Exception {
    return raw(binding.localAddress().getPort(), requestHead, bodyStart);
  }

  /** As above, to the server at {@code port} on the loopback address. */
  static String raw(int port, String requestHead, byte[] bodyStart) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
      out.write(bodyStart);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      // read the head and the JSON body; the server closes or we stop at the end of the JSON object
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketException reset) {
          break;
        }
        if (n < 0) {
          break;
        }
        answer.write(buf, 0, n);
        String sofar = answer.toString(StandardCharsets.UTF_8);
        int bodyAt = sofar.indexOf("\r\n\r\n");
        if (bodyAt >= 0 && sofar.trim().endsWith("}")) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  static JsonNode json(HttpResponse<byte[]> res) throws Exception {
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return MAPPER.readTree(res.body());
  }

  static String text(HttpResponse<byte[]> res) {
    return new String(res.body(), StandardCharsets.UTF_8);
  }

  /** Asserts the answer is the JSON error {"error": code, "message": ...} with this status. */
  static JsonNode assertError(HttpResponse<byte[]> res, int status, String code) throws Exception {
    assertThat(res.statusCode()).as(text(res)).isEqualTo(status);
    JsonNode json = json(res);
    assertThat(json.get("error").asText()).isEqualTo(code);
    assertThat(json.get("message").isTextual()).isTrue();
    return json;
  }

  @Override
  public void close() {
    testKit.shutdownTestKit(); // runs CoordinatedShutdown, which unbinds the server
    if (admission != null) {
      admission.close();
    }
  }
}
