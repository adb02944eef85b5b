package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {

  static BenchSettings settings() {
    return new BenchSettings(
        "raftring",
        List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081")),
        Workload.MIXED,
        0.9,
        "lease",
        64,
        0,
        1024,
        10_000,
        "zipfian",
        0.99,
        "bench-",
        256,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        true,
        Duration.ofSeconds(5),
        1_000_000,
        1,
        "socket",
        1,
        2,
        "/v3",
        "cross-group");
  }

  static BenchResult result() {
    return new BenchResult(
        settings(),
        "2026-11-29T10:00:00Z",
        new BenchResult.Preload(10_000, 9_998, 2, 1.5),
        30.0,
        27_000,
        0,
        0,
        3,
        Map.of("HTTP 503 NO_QUORUM", 2L, "CLIENT_TIMEOUT", 1L),
        Map.of("HTTP 503 NO_QUORUM", "{\"error\":\"NO_QUORUM\",\"message\":\"no majority\"}"),
        0,
        5,
        4_000,
        new Percentiles(27_000, 1.2, 2.5, 8.0, 20.0, 35.5, 1.6),
        List.of(new TimelinePoint(1.0, 900, 1.1, 7.0, 30.0, 1), new TimelinePoint(2.0, 910, 1.2, 8.0, 35.5, 2)),
        3.25,
        new Percentiles(2, 0.4, 0.9, 0.9, 0.9, 0.9, 0.65));
  }

  @Test
  void theResultFileHasSettingsCountsPercentilesErrorsAndTimeline() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ResultJson.toJson(result()).toString());

    assertThat(json.get("format").asInt()).isEqualTo(1);
    assertThat(json.at("/settings/target").asText()).isEqualTo("raftring");
    assertThat(json.at("/answeredErrorLatencyMs/count").asLong()).isEqualTo(2);
    assertThat(json.at("/answeredErrorLatencyMs/p99").asDouble()).isEqualTo(0.9);
    assertThat(json.at("/settings/endpoints/1").asText()).isEqualTo("http://127.0.0.1:8081");
    assertThat(json.at("/settings/workload").asText()).isEqualTo("mixed");
    assertThat(json.at("/settings/mode").asText()).isEqualTo("closed");
    assertThat(json.at("/settings/clients").asInt()).isEqualTo(64);
    assertThat(json.at("/settings/keyDistribution").asText()).isEqualTo("zipfian");
    assertThat(json.at("/settings/durationSeconds").asDouble()).isEqualTo(30.0);
    assertThat(json.at("/preload/errors").asLong()).isEqualTo(2);
    assertThat(json.get("throughputOpsPerSec").asDouble()).isEqualTo(900.0);
    assertThat(json.get("attemptsPerSec").asDouble()).isEqualTo(900.1);
    assertThat(json.at("/operations/ok").asLong()).isEqualTo(27_000);
    assertThat(json.at("/operations/errors").asLong()).isEqualTo(3);
    assertThat(json.at("/operations/warmup").asLong()).isEqualTo(4_000);
    assertThat(json.at("/operations/transportRetries").asLong()).isEqualTo(5);
    assertThat(json.get("latencyMs").fieldNames()).toIterable()
        .containsExactly("count", "p50", "p90", "p99", "p999", "max", "mean");
    assertThat(json.at("/latencyMs/p99").asDouble()).isEqualTo(8.0);
    assertThat(json.at("/errorsByCode/HTTP 503 NO_QUORUM").asLong()).isEqualTo(2);
    assertThat(json.at("/errorsByCode/CLIENT_TIMEOUT").asLong()).isEqualTo(1);
    assertThat(json.at("/errorExamples/HTTP 503 NO_QUORUM").asText()).contains("no majority");
    assertThat(json.get("timeline")).hasSize(2);
    assertThat(json.at("/timeline/1").fieldNames()).toIterable()
        .containsExactly("second", "opsPerSec", "p50Ms", "p99Ms", "maxMs", "errors");
    assertThat(json.get("toolCpuSeconds").asDouble()).isEqualTo(3.25);
    assertThat(json.get("toolCpuMicrosPerOp").asDouble()).isEqualTo(closeTo(3.25e6 / 27_003));
  }

  private static double closeTo(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  @Test
  void anOpenLoopRunSaysSoAndAMissingPreloadIsNull() throws Exception {
    BenchResult r = result();
    BenchSettings s = r.settings();
    BenchSettings open = new BenchSettings(s.target(), s.endpoints(), s.workload(), s.readRatio(), s.consistency(), 0,
        2000, 256, s.keys(), s.keyDistribution(), s.zipfTheta(), s.keyPrefix(), s.valueSize(), s.duration(),
        s.warmup(), false, s.requestTimeout(), s.maxOperations(), s.seed(), "jdk", 1, 2, "/v3", s.txnKeys());
    BenchResult openResult = new BenchResult(open, r.startedAt(), null, r.measuredSeconds(), r.ok(), r.notFound(),
        r.casConflicts(), r.errors(), r.errorsByCode(), r.errorExamples(), r.abandoned(), r.transportRetries(), r.warmupOperations(), r.latency(), r.timeline(),
        r.toolCpuSeconds(), r.errorLatency());

    JsonNode json = new ObjectMapper().readTree(ResultJson.toJson(openResult).toString());

    assertThat(json.at("/settings/mode").asText()).isEqualTo("open");
    assertThat(json.at("/settings/ratePerSecond").asDouble()).isEqualTo(2000.0);
    assertThat(json.at("/settings/clients").asInt()).isZero();
    assertThat(json.get("preload").isNull()).isTrue();
  }

  @Test
  void writeCreatesTheDirectoryAndAChartBesideIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested/run.json");
    ResultJson.write(result(), file);
    LatencyChart.write("test", result().timeline(), dir.resolve("nested/run.png"));

    assertThat(new ObjectMapper().readTree(file.toFile()).at("/operations/ok").asLong()).isEqualTo(27_000);
    assertThat(javax.imageio.ImageIO.read(dir.resolve("nested/run.png").toFile()).getHeight())
        .isEqualTo(2 * LatencyChart.PANEL_HEIGHT);
    assertThat(Files.size(dir.resolve("nested/run.png"))).isPositive();
  }
}
