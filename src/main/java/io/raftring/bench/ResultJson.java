package io.raftring.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The result file's shape (format 1). Times are in milliseconds unless a name says otherwise:
 *
 * <pre>{@code
 * {"format":1, "tool":"raftring bench", "startedAt":"...",
 *  "settings":{"target","endpoints":[...],"workload","readRatio","consistency","mode":"closed|open","clients",
 *              "ratePerSecond","maxOutstanding","keys","keyDistribution","zipfTheta","valueSize","durationSeconds",
 *              "warmupSeconds","preload","timeoutMillis","maxOperations","seed","httpClient","httpClients","httpThreads"},
 *  "preload":{"keys","ok","errors","seconds"} | null,
 *  "measuredSeconds", "throughputOpsPerSec", "attemptsPerSec", "toolCpuSeconds", "toolCpuMicrosPerOp",
 *  "operations":{"answered","ok","notFound","casConflicts","errors","abandoned","transportRetries","warmup"},
 *  "latencyMs":{"count","p50","p90","p99","p999","max","mean"},
 *  "errorsByCode":{"HTTP 503 NO_QUORUM":3, ...}, "errorExamples":{"HTTP 503 NO_QUORUM":"<first body>", ...},
 *  "timeline":[{"second","opsPerSec","p50Ms","p99Ms","maxMs","errors"}, ...]}
 * }</pre>
 */
public final class ResultJson {

  public static final int FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  public static ObjectNode toJson(BenchResult result) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("tool", "raftring bench");
    root.put("startedAt", result.startedAt());

    BenchSettings s = result.settings();
    ObjectNode settings = root.putObject("settings");
    settings.put("target", s.target());
    ArrayNode endpoints = settings.putArray("endpoints");
    s.endpoints().forEach(e -> endpoints.add(e.toString()));
    settings.put("workload", s.workload().label());
    settings.put("readRatio", s.readRatio());
    settings.put("consistency", s.consistency());
    settings.put("mode", s.openLoop() ? "open" : "closed");
    settings.put("clients", s.openLoop() ? 0 : s.clients());
    settings.put("ratePerSecond", s.ratePerSecond());
    settings.put("maxOutstanding", s.maxOutstanding());
    settings.put("keys", s.keys());
    settings.put("keyDistribution", s.keyDistribution());
    settings.put("zipfTheta", s.zipfTheta());
    settings.put("valueSize", s.valueSize());
    settings.put("durationSeconds", s.duration().toMillis() / 1000.0);
    settings.put("warmupSeconds", s.warmup().toMillis() / 1000.0);
    settings.put("preload", s.preload());
    settings.put("timeoutMillis", s.requestTimeout().toMillis());
    settings.put("maxOperations", s.maxOperations());
    settings.put("seed", s.seed());
    settings.put("httpClient", s.httpClient());
    settings.put("httpClients", s.httpClients());
    settings.put("httpThreads", s.httpThreads());

    if (result.preload() == null) {
      root.putNull("preload");
    } else {
      ObjectNode preload = root.putObject("preload");
      preload.put("keys", result.preload().keys());
      preload.put("ok", result.preload().ok());
      preload.put("errors", result.preload().errors());
      preload.put("seconds", round(result.preload().seconds()));
    }

    root.put("measuredSeconds", round(result.measuredSeconds()));
    root.put("throughputOpsPerSec", round(result.throughput()));
    root.put("attemptsPerSec", round(result.attemptRate()));
    root.put("toolCpuSeconds", round(result.toolCpuSeconds()));
    root.put("toolCpuMicrosPerOp", round(result.toolCpuMicrosPerAttempt()));

    ObjectNode operations = root.putObject("operations");
    operations.put("answered", result.answered());
    operations.put("ok", result.ok());
    operations.put("notFound", result.notFound());
    operations.put("casConflicts", result.casConflicts());
    operations.put("errors", result.errors());
    operations.put("abandoned", result.abandoned());
    operations.put("transportRetries", result.transportRetries());
    operations.put("warmup", result.warmupOperations());

    Percentiles p = result.latency();
    ObjectNode latency = root.putObject("latencyMs");
    latency.put("count", p.count());
    latency.put("p50", p.p50());
    latency.put("p90", p.p90());
    latency.put("p99", p.p99());
    latency.put("p999", p.p999());
    latency.put("max", p.max());
    latency.put("mean", p.mean());

    Percentiles e = result.errorLatency();
    if (e != null) {
      ObjectNode errorLatency = root.putObject("answeredErrorLatencyMs");
      errorLatency.put("count", e.count());
      errorLatency.put("p50", e.p50());
      errorLatency.put("p99", e.p99());
      errorLatency.put("max", e.max());
    }

    ObjectNode errors = root.putObject("errorsByCode");
    result.errorsByCode().forEach(errors::put);
    ObjectNode examples = root.putObject("errorExamples");
    result.errorExamples().forEach(examples::put);

    ArrayNode timeline = root.putArray("timeline");
    for (TimelinePoint point : result.timeline()) {
      ObjectNode entry = timeline.addObject();
      entry.put("second", round(point.second()));
      entry.put("opsPerSec", round(point.opsPerSecond()));
      entry.put("p50Ms", point.p50Millis());
      entry.put("p99Ms", point.p99Millis());
      entry.put("maxMs", point.maxMillis());
      entry.put("errors", point.errors());
    }
    return root;
  }

  public static void write(BenchResult result, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    MAPPER.writeValue(file.toFile(), toJson(result));
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
