package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code raftring ev get|put|del} against canned answers: what it sends, prints, and exits with. */
class EvCommandTest {

  record Request(String method, String pathAndQuery, String context, String accept, String body) {}

  static HttpServer server;
  static String endpoint;
  static final List<Request> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", EvCommandTest::answer);
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @BeforeEach
  void forget() {
    requests.clear();
  }

  static void answer(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    String accept = ex.getRequestHeaders().getFirst("Accept");
    String pathAndQuery = ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
    requests.add(new Request(ex.getRequestMethod(), pathAndQuery,
        ex.getRequestHeaders().getFirst("X-RaftRing-Context"), accept,
        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    ex.getResponseHeaders().add("X-RaftRing-Context", "CTX");
    switch (ex.getRequestURI().getRawPath()) {
      case "/v1/ev/cart" -> {
        if (ex.getRequestMethod().equals("GET") && "application/json".equals(accept)) {
          send(ex, 200, "application/json",
              "{\"key\":\"cart\",\"siblings\":[{\"value\":\"YQ==\"},{\"value\":\"Yg==\"}]}");
        } else if (ex.getRequestMethod().equals("GET")) {
          ex.getResponseHeaders().add("X-RaftRing-Siblings", "2");
          send(ex, 200, "application/octet-stream", "b");
        } else {
          send(ex, 200, "application/json", "{\"key\":\"cart\",\"context\":\"CTX2\",\"coordinator\":\"n1\"}");
        }
      }
      case "/v1/ev/gone" -> send(ex, 404, "application/json", "{\"error\":\"NOT_FOUND\",\"message\":\"key deleted\"}");
      default -> send(ex, 503, "application/json", "{\"error\":\"NO_QUORUM\",\"message\":\"only 1 of w=2\"}");
    }
  }

  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Test
  void putSendsTheValueTheQuorumAndTheContext() {
    CliRun run = CliRun.of("ev", "put", "cart", "milk", "--w", "quorum", "--context", "ABC", "-v", "-e", endpoint);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(requests).containsExactly(new Request("PUT", "/v1/ev/cart?w=quorum", "ABC", "application/json", "milk"));
    assertThat(run.stderr()).contains("context: CTX2");
  }

  @Test
  void getPrintsTheNewestValueRawOrEverySiblingAsJson() {
    CliRun raw = CliRun.of("ev", "get", "cart", "-r", "all", "-v", "-e", endpoint);
    assertThat(raw.exitCode()).isZero();
    assertThat(raw.out()).isEqualTo("b");
    assertThat(raw.stderr()).contains("context: CTX").contains("siblings: 2");
    assertThat(requests.get(0).pathAndQuery()).isEqualTo("/v1/ev/cart?r=all");
    CliRun siblings = CliRun.of("ev", "get", "cart", "--siblings", "-e", endpoint);
    assertThat(siblings.out()).contains("\"siblings\"");
  }

  @Test
  void aMissingKeyExitsOneAndTooFewReplicasExitThree() {
    assertThat(CliRun.of("ev", "get", "gone", "-e", endpoint).exitCode()).isEqualTo(RaftRingMain.REFUSED);
    CliRun unavailable = CliRun.of("ev", "del", "elsewhere", "-w", "2", "-e", endpoint);
    assertThat(unavailable.exitCode()).isEqualTo(RaftRingMain.UNAVAILABLE);
    assertThat(unavailable.stderr()).contains("NO_QUORUM");
    assertThat(requests.get(requests.size() - 1).method()).isEqualTo("DELETE");
  }

  @Test
  void evWithoutASubcommandIsAUsageError() {
    assertThat(CliRun.of("ev").exitCode()).isEqualTo(RaftRingMain.USAGE);
  }
}
