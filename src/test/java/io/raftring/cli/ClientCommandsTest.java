package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The client commands against a stand-in for a node's HTTP API that gives canned answers: what each command sends,
 * what it prints, and which exit code each kind of answer gets (0 success, 1 NOT_FOUND/CONFLICT, 2 bad usage or a
 * request the server calls malformed, 3 unreachable/timeout/5xx).
 */
class ClientCommandsTest {

  record Request(String method, String rawPathAndQuery, String accept, byte[] body) {}

  static HttpServer server;
  static String endpoint;
  static final List<Request> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ClientCommandsTest::answer);
    // Several handler threads: the deliberately slow answer must not hold up the other tests' requests.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    TEST_DONE.countDown();
    server.stop(0);
  }

  @BeforeEach
  void forgetRequests() {
    requests.clear();
  }

  /** The canned answers, chosen by key (or path). */
  static void answer(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
    requests.add(new Request(ex.getRequestMethod(), raw, ex.getRequestHeaders().getFirst("Accept"),
        ex.getRequestBody().readAllBytes()));
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    boolean json = "application/json".equals(ex.getRequestHeaders().getFirst("Accept"));
    switch (path) {
      case "/v1/kv/greeting" -> {
        if (ex.getRequestMethod().equals("GET") && json) {
          send(ex, 200, "{\"key\":\"greeting\",\"value\":\"" + b64("hello\nworld") + "\",\"create_revision\":3,"
              + "\"mod_revision\":7,\"version\":2,\"revision\":9}");
        } else if (ex.getRequestMethod().equals("GET")) {
          send(ex, 200, "application/octet-stream", "hello\nworld".getBytes(StandardCharsets.UTF_8));
        } else {
          send(ex, 200, "{\"revision\":10}");
        }
      }
      case "/v1/kv/missing" -> send(ex, 404, "{\"error\":\"NOT_FOUND\",\"message\":\"key \\\"missing\\\" not found\"}");
      case "/v1/kv/contested" -> send(ex, 409,
          "{\"error\":\"CONFLICT\",\"message\":\"mod_revision is 8, not 7\"}");
      case "/v1/kv/minority" -> send(ex, 503,
          "{\"error\":\"NO_QUORUM\",\"message\":\"group g0 has no leader reachable\"}");
      case "/v1/kv/huge" -> send(ex, 413, "{\"error\":\"TOO_LARGE\",\"message\":\"value over 1 MiB\"}");
      case "/v1/kv/elsewhere" -> send(ex, 404, "text/html", "<html>nginx</html>".getBytes(StandardCharsets.UTF_8));
      case "/v1/kv/slow" -> {
        // Answers only when the test ends: the client's timeout must fire first.
        awaitQuietly(TEST_DONE);
        send(ex, 200, "{}");
      }
      case "/v1/kv" -> {
        if (query.contains("page_token=p2")) {
          send(ex, 200, "{\"kvs\":[" + kv("user/3", "c") + "],\"more\":false,\"next_page_token\":null,\"revision\":12}");
        } else {
          send(ex, 200, "{\"kvs\":[" + kv("user/1", "a\tb") + "," + kv("user/2", "x") + "],\"more\":true,"
              + "\"next_page_token\":\"p2\",\"revision\":12}");
        }
      }
      case "/v1/cluster" -> send(ex, 200, "{\"node\":\"n1\",\"members\":[\"n1\",\"n2\",\"n3\"],\"ready\":true,"
          + "\"groups\":[{\"group\":\"g0\",\"replicas\":[\"n1\",\"n2\",\"n3\"],\"leader\":\"n2\",\"term\":4,"
          + "\"replicaStatus\":[{\"node\":\"n1\",\"role\":\"follower\",\"term\":4,\"commitIndex\":17,"
          + "\"lastApplied\":17,\"lastIndex\":17,\"reachable\":true},{\"node\":\"n2\",\"role\":\"leader\",\"term\":4,"
          + "\"commitIndex\":17,\"lastApplied\":17,\"lastIndex\":18,\"reachable\":true}]}]}");
      default -> send(ex, 200, "{\"revision\":11}");
    }
  }

  static String kv(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":\"" + b64(value) + "\",\"create_revision\":1,\"mod_revision\":2,"
        + "\"version\":1}";
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String json) throws IOException {
    send(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  /** Released after all tests, so a deliberately slow answer never outlives the test class. */
  static final java.util.concurrent.CountDownLatch TEST_DONE = new java.util.concurrent.CountDownLatch(1);

  static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoint=" + endpoint);
    return CliRun.of(all.toArray(String[]::new));
  }

  static Request onlyRequest() {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  @Nested
  class Get {
    @Test
    void printsTheValueRawWithNothingAdded() {
      CliRun r = run("get", "greeting");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.stdout()).isEqualTo("hello\nworld".getBytes(StandardCharsets.UTF_8));
      assertThat(r.stderr()).isEmpty();
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv/greeting");
    }

    @Test
    void sendsTheConsistencyLevelAndDegrade() {
      run("get", "greeting", "--consistency", "lease", "--degrade");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv/greeting?consistency=lease&degrade=stale");
    }

    @Test
    void encodesTheKeyAsOnePathSegment() {
      run("get", "a/b c?é");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv/a%2Fb%20c%3F%C3%A9");
    }

    @Test
    void verbosePutsRevisionsOnStderrAndStillTheRawValueOnStdout() {
      CliRun r = run("get", "greeting", "--verbose");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo("hello\nworld");
      assertThat(r.stderr()).contains("mod_revision: 7", "create_revision: 3", "version: 2").doesNotContain("value");
      assertThat(onlyRequest().accept()).isEqualTo("application/json");
    }

    @Test
    void jsonPrintsTheServersJson() {
      CliRun r = run("get", "greeting", "--json");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).startsWith("{\"key\":\"greeting\"").endsWith("}\n");
    }

    @Test
    void aMissingKeyExits1WithTheMessageOnStderr() {
      CliRun r = run("get", "missing");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stdout()).isEmpty();
      assertThat(r.stderr()).contains("raftring get: NOT_FOUND: key \"missing\" not found");
    }

    @Test
    void noQuorumExits3() {
      CliRun r = run("get", "minority");
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.stderr()).contains("NO_QUORUM: group g0 has no leader reachable");
    }

    @Test
    void a404ThatIsNotRaftRingsIsAServerError() {
      CliRun r = run("get", "elsewhere");
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.stderr()).contains("HTTP 404: <html>nginx</html>");
    }

    @Test
    void anUnknownConsistencyLevelIsBadUsage() {
      CliRun r = run("get", "greeting", "--consistency", "eventual");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(requests).isEmpty();
      assertThat(r.stderr()).contains("linearizable, lease, stale");
    }
  }

  @Nested
  class Put {
    @Test
    void sendsTheValueAsTheBodyAndPrintsNothing() {
      CliRun r = run("put", "greeting", "hi there");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.stdout()).isEmpty();
      Request req = onlyRequest();
      assertThat(req.method()).isEqualTo("PUT");
      assertThat(req.rawPathAndQuery()).isEqualTo("/v1/kv/greeting");
      assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("hi there");
    }

    @Test
    void readsTheValueFromStdinForDash() {
      byte[] binary = {0, 1, 2, (byte) 0xff, '\n'};
      CliRun r = CliRun.withStdin(binary, "put", "greeting", "-", "--endpoint", endpoint);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(onlyRequest().body()).isEqualTo(binary);
    }

    @Test
    void sendsPrevRevisionAndPrevValueConditions() {
      run("put", "greeting", "v", "--prev-revision", "7");
      run("put", "greeting", "v", "--prev-value", "old value");
      assertThat(requests).extracting(Request::rawPathAndQuery).containsExactly(
          "/v1/kv/greeting?prev_revision=7", "/v1/kv/greeting?prev_value=old%20value");
    }

    @Test
    void bothConditionsAtOnceIsBadUsage() {
      CliRun r = run("put", "greeting", "v", "--prev-revision", "7", "--prev-value", "x");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(requests).isEmpty();
    }

    @Test
    void aFailedConditionExits1() {
      CliRun r = run("put", "contested", "v", "--prev-revision", "7");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("CONFLICT: mod_revision is 8, not 7");
    }

    @Test
    void aValueTheServerRejectsExits2() {
      CliRun r = run("put", "huge", "v");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderr()).contains("TOO_LARGE: value over 1 MiB");
    }

    @Test
    void verbosePrintsTheRevision() {
      CliRun r = run("put", "greeting", "v", "-v");
      assertThat(r.stderr()).contains("revision: 10");
    }

    @Test
    void missingArgumentsAreBadUsage() {
      assertThat(run("put", "greeting").exitCode()).isEqualTo(2);
    }
  }

  @Nested
  class Cas {
    @Test
    void isAPutWithTheExpectedValue() {
      CliRun r = run("cas", "greeting", "--expect", "old", "new");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      Request req = onlyRequest();
      assertThat(req.method()).isEqualTo("PUT");
      assertThat(req.rawPathAndQuery()).isEqualTo("/v1/kv/greeting?prev_value=old");
      assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("new");
    }

    @Test
    void orWithTheExpectedRevision() {
      run("cas", "greeting", "--prev-revision", "0", "first");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv/greeting?prev_revision=0");
    }

    @Test
    void aConflictExits1() {
      CliRun r = run("cas", "contested", "--expect", "old", "new");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("raftring cas: CONFLICT");
    }

    @Test
    void withoutAnExpectationIsBadUsage() {
      CliRun r = run("cas", "greeting", "new");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(requests).isEmpty();
    }
  }

  @Nested
  class Del {
    @Test
    void deletes() {
      CliRun r = run("del", "greeting", "--prev-revision", "7");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(onlyRequest().method()).isEqualTo("DELETE");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv/greeting?prev_revision=7");
    }

    @Test
    void aMissingKeyExits1() {
      assertThat(run("del", "missing").exitCode()).isEqualTo(1);
    }
  }

  @Nested
  class Range {
    @Test
    void followsPagesAndPrintsOneLinePerKey() {
      CliRun r = run("range", "--prefix", "user/");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("user/1\ta\\tb\nuser/2\tx\nuser/3\tc\n");
      assertThat(requests).extracting(Request::rawPathAndQuery).containsExactly(
          "/v1/kv?prefix=user%2F", "/v1/kv?prefix=user%2F&page_token=p2");
    }

    @Test
    void stopsAtTheLimit() {
      CliRun r = run("range", "--prefix", "user/", "--limit", "2", "--keys-only", "-c", "stale");
      assertThat(r.out()).isEqualTo("user/1\nuser/2\n");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv?prefix=user%2F&limit=2&consistency=stale");
    }

    @Test
    void sendsFromAndTo() {
      run("range", "--from", "a", "--to", "m", "--limit", "1");
      assertThat(onlyRequest().rawPathAndQuery()).isEqualTo("/v1/kv?from=a&to=m&limit=1");
    }

    @Test
    void prefixAndFromTogetherIsBadUsage() {
      assertThat(run("range", "--prefix", "a", "--from", "b").exitCode()).isEqualTo(2);
    }

    @Test
    void escapesControlCharactersAndShowsNonUtf8AsBase64() {
      assertThat(RangeCommand.printable("a\nb\\".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\nb\\\\");
      assertThat(RangeCommand.printable(new byte[] {(byte) 0xff})).isEqualTo("base64:/w==");
    }
  }

  @Nested
  class Status {
    @Test
    void printsATable() {
      CliRun r = run("status");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out())
          .contains("node:    n1", "ready:   yes", "members: n1 n2 n3")
          .containsPattern("g0\\s+n2\\s+4\\s+n1\\s+follower\\s+4\\s+17\\s+17\\s+17")
          .containsPattern("\\n\\s+n2\\s+leader\\s+4\\s+17\\s+17\\s+18");
    }

    @Test
    void jsonIsIndented() {
      assertThat(run("status", "--json").out()).contains("\"node\" : \"n1\"");
    }
  }

  @Nested
  class Unreachable {
    @Test
    void connectionRefusedExits3() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      CliRun r = CliRun.of("get", "greeting", "--endpoint", "http://127.0.0.1:" + port);
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.stderr()).contains("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void noAnswerInTimeExits3() {
      CliRun r = run("get", "slow", "--timeout", "300ms");
      assertThat(r.exitCode()).isEqualTo(3);
      assertThat(r.stderr()).contains("no answer from", "within PT0.3S");
    }

    @Test
    void aMalformedEndpointIsBadUsage() {
      CliRun r = CliRun.of("get", "k", "--endpoint", "127.0.0.1:8080");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderr()).contains("expected http://host:port");
    }
  }
}
