package io.raftring.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything a run produced; written as JSON by {@link ResultJson}.
 *
 * @param settings the run's settings as given
 * @param startedAt ISO-8601 wall-clock time the run started
 * @param preload what {@code --preload} did, or null
 * @param measuredSeconds length of the measurement window (warm-up excluded)
 * @param ok measured operations answered successfully
 * @param notFound measured reads of absent keys
 * @param casConflicts measured compare-and-sets whose condition did not hold
 * @param errors measured operations that failed, all codes
 * @param errorsByCode errors by code (see {@link ErrorClassifier})
 * @param errorExamples the first detail seen for each error code
 * @param abandoned requests still in flight when the tool stopped waiting
 * @param transportRetries requests resent once because a kept-alive connection had been closed by the server
 * @param warmupOperations operations completed during warm-up (not measured)
 * @param latency latency of answered operations (ok + notFound + casConflicts), ms
 * @param timeline one point per second
 * @param toolCpuSeconds CPU time this JVM used from the end of warm-up to the end of the run (the tool's own
 *     cost; -1 when the JVM cannot tell)
 * @param errorLatency latency of the errors the server answered with a status (refusals such as 503 OVERLOADED and
 *     429 RATE_LIMITED, but also 504), ms: how fast load is shed
 */
public record BenchResult(
    BenchSettings settings,
    String startedAt,
    Preload preload,
    double measuredSeconds,
    long ok,
    long notFound,
    long casConflicts,
    long errors,
    Map<String, Long> errorsByCode,
    Map<String, String> errorExamples,
    long abandoned,
    long transportRetries,
    long warmupOperations,
    Percentiles latency,
    List<TimelinePoint> timeline,
    double toolCpuSeconds,
    Percentiles errorLatency) {

  /** What preloading did: one put per key, before warm-up. */
  public record Preload(long keys, long ok, long errors, double seconds) {}

  public long answered() {
    return ok + notFound + casConflicts;
  }

  /** Answered operations per second of measurement. */
  public double throughput() {
    return measuredSeconds > 0 ? answered() / measuredSeconds : 0;
  }

  /** The tool's CPU time per measured attempt, in microseconds, or -1 when unknown. */
  public double toolCpuMicrosPerAttempt() {
    long attempts = answered() + errors;
    return toolCpuSeconds < 0 || attempts == 0 ? -1 : toolCpuSeconds * 1e6 / attempts;
  }

  /** Every measured attempt (answered or failed) per second. */
  public double attemptRate() {
    return measuredSeconds > 0 ? (answered() + errors) / measuredSeconds : 0;
  }
}
