package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code watch}, {@code lease} and {@code lock} against a stand-in node with canned answers: a watch resumes from its
 * last position when the stream breaks and stops on COMPACTED; a lock is taken on a lease, COMMAND's exit code comes
 * back, and the lease is revoked at the end.
 */
class CoordinationCommandsTest {

  private static HttpServer server;
  private static String endpoint;
  private static final List<String> requests = new CopyOnWriteArrayList<>();
  private static final AtomicInteger watches = new AtomicInteger();

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", CoordinationCommandsTest::answer);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
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
    watches.set(0);
  }

  private static void answer(HttpExchange ex) throws IOException {
    String target = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
    requests.add(target);
    String path = ex.getRequestURI().getPath();
    if (path.equals("/v1/watch") && ex.getRequestMethod().equals("POST")) {
      requests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (watches.incrementAndGet() == 1) {
        // The first stream breaks after one change of watch 1; the second must resume each watch where it was.
        stream(ex, "{\"watch\":0,\"type\":\"created\",\"position\":\"A0\"}",
            "{\"watch\":1,\"type\":\"created\",\"position\":\"B0\"}",
            "{\"watch\":1,\"type\":\"put\",\"key\":\"cfg/x\",\"value\":\"MQ==\",\"position\":\"B1\"}");
      } else {
        stream(ex, "{\"watch\":0,\"type\":\"put\",\"key\":\"leader\",\"value\":\"Mg==\",\"position\":\"A1\"}",
            "{\"watch\":1,\"type\":\"delete\",\"key\":\"cfg/x\",\"position\":\"B2\"}");
      }
    } else if (path.equals("/v1/watch") && ex.getRequestURI().getRawQuery().contains("prefix=old")) {
      stream(ex, "{\"type\":\"created\",\"position\":\"P0\"}",
          "{\"type\":\"closed\",\"error\":\"COMPACTED\",\"message\":\"too old\"}");
    } else if (path.equals("/v1/watch") && watches.incrementAndGet() == 1) {
      // The first stream breaks after one change; the second must resume from its position.
      stream(ex, "{\"type\":\"created\",\"position\":\"P0\"}",
          "{\"type\":\"put\",\"key\":\"app/a\",\"value\":\"MQ==\",\"position\":\"P1\"}");
    } else if (path.equals("/v1/watch")) {
      stream(ex, "{\"type\":\"created\",\"position\":\"P1\"}",
          "{\"type\":\"delete\",\"key\":\"app/a\",\"position\":\"P2\"}",
          "{\"type\":\"put\",\"key\":\"app/b\",\"value\":\"Mg==\",\"position\":\"P3\"}");
    } else if (path.equals("/v1/leases") && ex.getRequestMethod().equals("POST")) {
      json(ex, 200, "{\"id\":\"000000000000002a\",\"ttl_ms\":10000}");
    } else if (path.equals("/v1/leases/keepalive")) {
      // Lease 2b is gone; any other id asked for is renewed for 9 s.
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(body);
      StringBuilder leases = new StringBuilder();
      for (com.fasterxml.jackson.databind.JsonNode id : KvClient.JSON.readTree(body).get("ids")) {
        leases.append(leases.length() == 0 ? "" : ",").append(id.asText().equals("000000000000002b")
            ? "{\"id\":\"000000000000002b\",\"error\":\"NOT_FOUND\",\"message\":\"lease 000000000000002b not found\"}"
            : "{\"id\":\"" + id.asText() + "\",\"ttl_ms\":9000}");
      }
      json(ex, 200, "{\"leases\":[" + leases + "]}");
    } else if (path.startsWith("/v1/leases/")) {
      json(ex, 200, "{\"id\":\"000000000000002a\",\"ttl_ms\":10000}");
    } else if (path.startsWith("/v1/locks/")) {
      json(ex, 200, "{\"name\":\"job\",\"key\":\"_locks/{job}/000000000000002a\",\"lease\":\"000000000000002a\","
          + "\"fencing_token\":17}");
    } else {
      json(ex, 404, "{\"error\":\"NOT_FOUND\",\"message\":\"no such thing\"}");
    }
  }

  private static void stream(HttpExchange ex, String... lines) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void aWatchResumesFromItsLastPositionWhenTheStreamBreaks() {
    CliRun run = CliRun.of("watch", "--prefix", "app/", "--max-events", "3", "-e", endpoint);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("PUT\tapp/a\t1\nDELETE\tapp/a\nPUT\tapp/b\t2\n");
    assertThat(requests).containsExactly("GET /v1/watch?prefix=app%2F", "GET /v1/watch?prefix=app%2F&position=P1");
  }

  @Test
  void severalWatchesShareOneStreamAndEachResumesFromItsOwnPosition() {
    CliRun run = CliRun.of("watch", "leader", "--prefix", "cfg/", "--max-events", "3", "-e", endpoint);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("PUT\tcfg/x\t1\nPUT\tleader\t2\nDELETE\tcfg/x\n");
    assertThat(requests).containsExactly(
        "POST /v1/watch", "{\"watches\":[{\"key\":\"leader\"},{\"prefix\":\"cfg/\"}]}",
        "POST /v1/watch",
        "{\"watches\":[{\"key\":\"leader\",\"position\":\"A0\"},{\"prefix\":\"cfg/\",\"position\":\"B1\"}]}");
  }

  @Test
  void severalWatchesPrintTheServersLinesWithJsonAndTakeNoPosition() {
    CliRun json = CliRun.of("watch", "a", "b", "--json", "--max-events", "1", "-e", endpoint);
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.out().lines().toList()).first().asString().startsWith("{\"watch\":0,\"type\":\"created\"");

    CliRun withPosition = CliRun.of("watch", "a", "b", "--position", "P1", "-e", endpoint);
    assertThat(withPosition.exitCode()).as(withPosition.toString()).isEqualTo(2);
  }

  @Test
  void aWatchWhosePositionFellOutOfTheHistoryExitsOne() {
    CliRun run = CliRun.of("watch", "--prefix", "old", "-e", endpoint);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("COMPACTED");
  }

  @Test
  void aWatchNeedsAKeyOrAPrefix() {
    assertThat(CliRun.of("watch", "-e", endpoint).exitCode()).isEqualTo(2);
  }

  @Test
  void aGrantedLeasePrintsItsId() {
    CliRun run = CliRun.of("lease", "grant", "10s", "-e", endpoint);

    assertThat(run.out()).isEqualTo("000000000000002a\n");
    assertThat(requests).containsExactly("POST /v1/leases?ttl=10000ms");
  }

  @Test
  void severalLeasesAreKeptAliveInOneRequestAndOneFoundGoneIsReported() {
    CliRun run = CliRun.of("lease", "keepalive", "000000000000002a", "000000000000002b", "--once", "-e", endpoint);

    assertThat(run.exitCode()).isZero();
    assertThat(requests).containsExactly("POST /v1/leases/keepalive",
        "{\"ids\":[\"000000000000002a\",\"000000000000002b\"]}");
    assertThat(run.out()).isEqualTo("000000000000002a\tttl_ms=9000\n");
    assertThat(run.stderr()).contains("000000000000002b\tNOT_FOUND");
  }

  @Test
  void aSingleLeaseFoundGoneIsReportedAndExitsOne() {
    CliRun run = CliRun.of("lease", "keepalive", "000000000000002b", "-e", endpoint);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(requests).containsExactly("POST /v1/leases/keepalive", "{\"ids\":[\"000000000000002b\"]}");
    assertThat(run.stderr()).contains("000000000000002b\tNOT_FOUND");
  }

  @Test
  void leaseCommandsOtherThanKeepaliveTakeOneArgument() {
    CliRun run = CliRun.of("lease", "revoke", "000000000000002a", "000000000000002b", "-e", endpoint);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(requests).isEmpty();
  }

  @Test
  void aLockRunsTheCommandOnALeaseGivesItsExitCodeBackAndRevokesTheLease() {
    CliRun run = CliRun.of("lock", "job", "-e", endpoint, "--", "sh", "-c", "exit 7");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
    assertThat(requests).contains("POST /v1/leases?ttl=10000ms",
        "POST /v1/locks/job?lease=000000000000002a&timeout=10000ms", "DELETE /v1/leases/000000000000002a");
    assertThat(requests.get(requests.size() - 1)).isEqualTo("DELETE /v1/leases/000000000000002a");
  }
}
