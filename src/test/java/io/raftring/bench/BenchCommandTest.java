package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole tool, for about a second per run, against RaftRing's KV routes served in memory on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchCommandTest {

  private static InMemoryRaftRingServer server;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = new InMemoryRaftRingServer(0, 2);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private record Run(int exitCode, String out, String err, String progress) {}

  private static Run bench(String... args) {
    BenchCommand command = new BenchCommand();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    command.progress = new PrintStream(progress, true, StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exitCode, out.toString(), err.toString(), progress.toString(StandardCharsets.UTF_8));
  }

  private static String[] args(String... extra) {
    List<String> all = new ArrayList<>(List.of("--endpoints", server.baseUri() + "," + server.baseUri(), "--timeout", "2s"));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  @Test
  void theEventualTargetSendsItsQuorumsAndRefusesBadOnes() throws Exception {
    Run run = bench(args("--target", "ev", "--w", "1", "--r", "ALL", "--workload", "mixed", "--clients", "2",
        "--keys", "20", "--duration", "1200ms", "--warmup", "200ms", "--out", dir.resolve("ev").toString()));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("ev.json").toFile());
    assertThat(json.at("/settings/target").asText()).isEqualTo("ev");
    assertThat(json.at("/settings/consistency").asText()).isEqualTo("w=1,r=all");
    assertThat(json.at("/operations/errors").asLong()).isZero();
    assertThat(bench(args("--target", "ev", "--w", "most")).exitCode()).isEqualTo(2);
  }

  @Test
  void aMixedClosedLoopRunAfterPreloadWritesJsonAndAChart() throws Exception {
    Run run = bench(args(
        "--workload", "mixed", "--read-ratio", "0.8", "--clients", "4", "--keys", "200", "--preload",
        "--duration", "1200ms", "--warmup", "200ms", "--value-size", "64", "--out", dir.resolve("mixed").toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("mixed.json").toFile());
    assertThat(json.at("/settings/workload").asText()).isEqualTo("mixed");
    assertThat(json.at("/preload/ok").asLong()).isEqualTo(200);
    assertThat(json.at("/operations/ok").asLong()).isPositive();
    assertThat(json.at("/operations/notFound").asLong()).isZero(); // every key was preloaded
    assertThat(json.at("/operations/errors").asLong()).isZero();
    assertThat(json.at("/latencyMs/count").asLong()).isEqualTo(json.at("/operations/answered").asLong());
    assertThat(json.at("/latencyMs/p99").asDouble()).isGreaterThanOrEqualTo(json.at("/latencyMs/p50").asDouble());
    assertThat(json.get("timeline").size()).isBetween(1, 4);
    assertThat(server.size()).isGreaterThanOrEqualTo(200);

    BufferedImage chart = ImageIO.read(dir.resolve("mixed.png").toFile());
    assertThat(chart.getWidth()).isEqualTo(LatencyChart.WIDTH);
    assertThat(run.out()).contains("throughput", "latency ms", "p99.9");
    assertThat(run.progress()).contains("ops/s", "p99");
  }

  @Test
  void compareAndSetsOnAFewHotKeysCountConflictsApartFromErrors() throws Exception {
    Run run = bench(args(
        "--workload", "cas", "--clients", "8", "--keys", "3", "--key-distribution", "zipfian", "--duration", "1s",
        "--warmup", "0s", "--key-prefix", "cas-", "--out", dir.resolve("cas").toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("cas.json").toFile());
    assertThat(json.at("/operations/ok").asLong()).isPositive();
    assertThat(json.at("/operations/casConflicts").asLong()).isPositive();
    assertThat(json.at("/operations/errors").asLong()).isZero();
  }

  @Test
  void anOpenLoopRunSendsAboutTheRateAndReadsOfAbsentKeysAreNotErrors() throws Exception {
    Run run = bench(args(
        "--workload", "get", "--consistency", "stale", "--rate", "400", "--duration", "1s", "--warmup", "0s",
        "--key-prefix", "absent-", "--out", dir.resolve("open").toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("open.json").toFile());
    assertThat(json.at("/settings/mode").asText()).isEqualTo("open");
    assertThat(json.at("/operations/notFound").asLong()).isEqualTo(400);
    assertThat(json.at("/operations/errors").asLong()).isZero();
  }

  @Test
  void theJavaNetHttpClientTransportGivesTheSameAnswers() throws Exception {
    Run run = bench(args(
        "--http-client", "jdk", "--workload", "cas", "--clients", "2", "--keys", "50", "--duration", "600ms",
        "--warmup", "0s", "--key-prefix", "jdk-", "--out", dir.resolve("jdk").toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("jdk.json").toFile());
    assertThat(json.at("/settings/httpClient").asText()).isEqualTo("jdk");
    assertThat(json.at("/operations/ok").asLong()).isPositive();
    assertThat(json.at("/operations/errors").asLong()).isZero();
  }

  @Test
  void serverErrorsAreCountedByCodeAndARunWithNoAnswerExitsOne() throws Exception {
    Run run = bench(args(
        "--workload", "put", "--clients", "2", "--duration", "500ms", "--warmup", "0s", "--key-prefix", "fail-503-",
        "--out", dir.resolve("fail").toString()));

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("fail.json").toFile());
    assertThat(json.at("/operations/errors").asLong()).isPositive();
    assertThat(json.at("/errorsByCode/HTTP 503 NO_QUORUM").asLong()).isEqualTo(json.at("/operations/errors").asLong());
    assertThat(run.out()).contains("HTTP 503 NO_QUORUM", "no majority");
    assertThat(json.at("/errorExamples/HTTP 503 NO_QUORUM").asText()).contains("no majority");
  }

  @Test
  void aClosedPortIsAConnectError() {
    Run run = bench("--endpoints", "http://127.0.0.1:1", "--clients", "1", "--duration", "300ms", "--warmup", "0s",
        "--max-ops", "50");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("CONNECT");
  }

  @Test
  void nonLoopbackEndpointsAndContradictoryLoadsAreRefused() {
    assertThat(bench("--endpoints", "http://10.1.2.3:8080").exitCode()).isEqualTo(2);
    assertThat(bench("--endpoints", "http://127.0.0.1:8080", "--clients", "4", "--rate", "100").exitCode()).isEqualTo(2);
    assertThat(bench("--target", "etcd", "--consistency", "lease").exitCode()).isEqualTo(2);
    assertThat(bench("--duration", "soon").exitCode()).isEqualTo(2);
  }
}
