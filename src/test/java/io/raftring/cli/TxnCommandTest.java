package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code raftring txn} against a stand-in node: the short forms become the JSON of POST /v1/txn in the order given,
 * a file or stdin goes as it is, and the answer's branch and errors become exit codes.
 */
class TxnCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static HttpServer server;
  private static String endpoint;
  private static final List<String> bodies = new CopyOnWriteArrayList<>();
  /** What the stand-in answers to the next POST: status and body. */
  private static volatile int status;
  private static volatile String answer;

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", TxnCommandTest::answer);
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    bodies.clear();
    status = 200;
    answer = "{\"succeeded\":true,\"results\":[{\"put\":{\"revision\":12,\"prev_kv\":null}},"
        + "{\"get\":{\"kvs\":[{\"key\":\"a\",\"value\":\"OTA=\",\"create_revision\":1,\"mod_revision\":12,"
        + "\"version\":2}],\"count\":1}}],\"revision\":12,\"group\":\"g0\",\"two_phase\":false,\"txn_id\":\"g0-1-1-0-n1\"}";
  }

  private static void answer(HttpExchange ex) throws IOException {
    bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    byte[] body = (ex.getRequestMethod().equals("GET")
        ? "{\"txn_id\":\"g0-1-1-0-n1\",\"state\":\"committed\",\"succeeded\":true,\"revision\":12,"
            + "\"participants\":[\"g0\",\"g2\"],\"message\":\"committed; its success branch ran\"}"
        : answer).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(ex.getRequestMethod().equals("GET") ? 200 : status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static CliRun run(String... args) {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--endpoint=" + endpoint;
    return CliRun.of(all);
  }

  @Test
  void theShortFormsBecomeTheTransactionsJsonInTheOrderGiven() throws Exception {
    CliRun r = run("txn", "--compare", "value(acct/a) = 100", "--compare", "mod(\"b c\") < 9",
        "--put", "acct/a=90", "--get", "acct/a", "--del", "old", "--else-get", "acct/a", "--compare",
        "exists(x)=false");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode sent = JSON.readTree(bodies.get(0));
    assertThat(sent.get("compare")).hasSize(3);
    assertThat(sent.get("compare").get(0).toString())
        .isEqualTo("{\"key\":\"acct/a\",\"target\":\"value\",\"op\":\"=\",\"value\":\"100\"}");
    assertThat(sent.get("compare").get(1).toString())
        .isEqualTo("{\"key\":\"b c\",\"target\":\"mod_revision\",\"op\":\"<\",\"value\":9}");
    assertThat(sent.get("compare").get(2).get("value").asBoolean()).isFalse();
    assertThat(sent.get("success").toString()).isEqualTo("[{\"put\":{\"key\":\"acct/a\",\"value\":\"90\"}},"
        + "{\"get\":{\"key\":\"acct/a\"}},{\"delete\":{\"key\":\"old\"}}]");
    assertThat(sent.get("failure").toString()).isEqualTo("[{\"get\":{\"key\":\"acct/a\"}}]");
    assertThat(r.out()).startsWith("SUCCESS").contains("put (new key) at revision 12").contains("a\t90");
  }

  @Test
  void aFileOrStdinIsSentAsItIs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String txn = "{\"success\":[{\"put\":{\"key\":\"k\",\"value\":\"v\"}}]}";
    Path file = Files.writeString(dir.resolve("t.json"), txn);

    assertThat(run("txn", file.toString()).exitCode()).isZero();
    CliRun fromStdin = CliRun.withStdin(txn.getBytes(StandardCharsets.UTF_8), "txn", "-", "--endpoint=" + endpoint);

    assertThat(fromStdin.exitCode()).isZero();
    assertThat(bodies).containsExactly(txn, txn);
  }

  @Test
  void theFailureBranchOrAConflictExitsOneAnUnknownOutcomeThree() {
    answer = "{\"succeeded\":false,\"results\":[],\"revision\":3,\"txn_id\":\"g0-1-1-0-n1\"}";
    CliRun failed = run("txn", "--compare", "version(k) = 1", "--put", "k=v");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).startsWith("FAILURE");

    status = 409;
    answer = "{\"error\":\"CONFLICT\",\"message\":\"aborted: locked\",\"txn_id\":\"g0-1-1-0-n1\"}";
    assertThat(run("txn", "--put", "k=v").exitCode()).isEqualTo(1);

    status = 504;
    answer = "{\"error\":\"TIMEOUT\",\"message\":\"outcome unknown; ask GET /v1/txn/g0-1-1-0-n1\"}";
    CliRun unknown = run("txn", "--put", "k=v");
    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.stderr()).contains("g0-1-1-0-n1");
  }

  @Test
  void malformedShortFormsAreUsageErrorsAndSendNothing() {
    assertThat(run("txn", "--compare", "value(a) ~ 1").exitCode()).isEqualTo(2);
    assertThat(run("txn", "--compare", "size(a) = 1").exitCode()).isEqualTo(2);
    assertThat(run("txn", "--compare", "mod(a) = x").exitCode()).isEqualTo(2);
    assertThat(run("txn", "--put", "novalue").exitCode()).isEqualTo(2);
    assertThat(run("txn", "--put", "k=v", "file.json").exitCode()).isEqualTo(2);
    assertThat(bodies).isEmpty();
  }

  @Test
  void statusPrintsHowATransactionEnded() {
    CliRun r = run("txn", "--status", "g0-1-1-0-n1");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("g0-1-1-0-n1: committed").contains("g0");
  }
}
