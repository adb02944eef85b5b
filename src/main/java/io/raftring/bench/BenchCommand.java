package io.raftring.bench;

import io.raftring.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftring bench}: drives a local RaftRing or etcd cluster over HTTP and reports throughput, latency
 * percentiles (HdrHistogram), errors by code, a JSON result and a PNG chart. Closed loop with {@code --clients}, open
 * loop with {@code --rate} (latency from each request's intended start). Loopback endpoints only.
 *
 * <p>Exit code 0 when the run answered at least one operation, 1 when none was answered or the results could not
 * be written, 2 for bad arguments. Runs standalone through {@link #main}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Load-test a local RaftRing (or etcd) cluster over HTTP: throughput, latency percentiles, errors.")
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      defaultValue = "raftring",
      description = "raftring (the Raft keyspace, /v1/kv), ev (the eventual keyspace, /v1/ev) or etcd "
          + "(default: ${DEFAULT-VALUE})")
  String target;

  @Option(
      names = "--endpoints",
      split = ",",
      description = "HTTP endpoints, loopback only; clients are spread over them "
          + "(default: http://127.0.0.1:8080 for raftring, http://127.0.0.1:2379 for etcd)")
  List<URI> endpoints = new ArrayList<>();

  @Option(names = "--workload", defaultValue = "put",
      description = "put, get, mixed, cas or txn-transfer (default: ${DEFAULT-VALUE})")
  String workload;

  @Option(names = "--txn-keys", defaultValue = "cross-group",
      description = "txn-transfer: same-group (keys share a hash tag) or cross-group (two-phase) (default: ${DEFAULT-VALUE})")
  String txnKeys;

  @Option(names = "--read-ratio", defaultValue = "0.9", description = "share of reads in mixed (default: ${DEFAULT-VALUE})")
  double readRatio;

  @Option(
      names = "--consistency",
      defaultValue = "linearizable",
      description = "reads: raftring linearizable|lease|stale; etcd linearizable|serializable (stale = serializable) "
          + "(default: ${DEFAULT-VALUE})")
  String consistency;

  @Option(names = "--w", defaultValue = "quorum",
      description = "ev: replicas that acknowledge a put: 1..N, quorum or all (default: ${DEFAULT-VALUE})")
  String w;

  @Option(names = "--r", defaultValue = "quorum",
      description = "ev: replicas that answer a get: 1..N, quorum or all (default: ${DEFAULT-VALUE})")
  String r;

  @Option(names = "--clients", description = "closed loop: concurrent clients, one request each at a time (default: 16)")
  Integer clients;

  @Option(names = "--rate", description = "open loop: target requests per second (instead of --clients)")
  Double rate;

  @Option(
      names = "--max-outstanding",
      defaultValue = "256",
      description = "open loop: most requests in flight (one sender thread each); a request finding it full is a NOT_STARTED error "
          + "(default: ${DEFAULT-VALUE})")
  int maxOutstanding;

  @Option(names = "--keys", defaultValue = "10000", description = "number of keys (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(
      names = "--key-distribution",
      defaultValue = "uniform",
      description = "uniform or zipfian (default: ${DEFAULT-VALUE})")
  String keyDistribution;

  @Option(names = "--zipf-theta", defaultValue = "0.99", description = "zipfian skew, >= 0 (default: ${DEFAULT-VALUE})")
  double zipfTheta;

  @Option(names = "--key-prefix", defaultValue = "bench-", description = "keys are <prefix><8-digit index> (default: ${DEFAULT-VALUE})")
  String keyPrefix;

  @Option(names = "--value-size", defaultValue = "256", description = "bytes per value (default: ${DEFAULT-VALUE})")
  int valueSize;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "measurement length, e.g. 30s, 2m (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "load before measuring, not counted (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--preload", description = "write every key once before warm-up")
  boolean preload;

  @Option(names = "--out", description = "write <out>.json and <out>.png, e.g. target/bench/put-64")
  Path out;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "per-request timeout (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--max-ops", defaultValue = "100000000", description = "hard bound on requests (default: ${DEFAULT-VALUE})")
  long maxOps;

  @Option(names = "--seed", defaultValue = "1", description = "seed of keys, values and op mix (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--http-client",
      defaultValue = "socket",
      description = "socket (lean blocking HTTP/1.1, a thread per client) or jdk (java.net.http, async) "
          + "(default: ${DEFAULT-VALUE})")
  String httpClient;

  @Option(names = "--http-clients", defaultValue = "1", description = "jdk: HttpClient instances (default: ${DEFAULT-VALUE})")
  int httpClients;

  @Option(names = "--http-threads", defaultValue = "2", description = "jdk: completion threads (default: ${DEFAULT-VALUE})")
  int httpThreads;

  @Option(names = "--etcd-api-prefix", defaultValue = "/v3", description = "etcd gateway prefix (default: ${DEFAULT-VALUE})")
  String etcdApiPrefix;

  /** Where the live progress lines go; stderr unless a test swaps it. */
  PrintStream progress = System.err;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return 2;
    }
    BenchResult result;
    try {
      out.println(describe(settings));
      out.flush();
      boolean raftRing = settings.target().equals("raftring");
      GroupTerms before = raftRing ? GroupTerms.read(settings.endpoints().get(0)) : null;
      result = new BenchRunner(settings, BenchClock.SYSTEM, progress).run();
      if (raftRing) {
        out.println("leadership  " + before.changesUntil(GroupTerms.read(settings.endpoints().get(0)))
            + " (warm-up included)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench: interrupted");
      return 1;
    }
    out.print(summary(result));
    if (this.out != null) {
      Path json = withSuffix(this.out, ".json");
      Path png = withSuffix(this.out, ".png");
      try {
        ResultJson.write(result, json);
        LatencyChart.write(chartTitle(settings), result.timeline(), png);
        out.println("wrote " + json + " and " + png);
      } catch (IOException | RuntimeException e) {
        err.println("bench: could not write results: " + e);
        return 1;
      }
    }
    out.flush();
    if (result.answered() == 0) {
      err.println("bench: no operation was answered");
      return 1;
    }
    return 0;
  }

  BenchSettings settings() {
    String targetName = target.trim().toLowerCase(Locale.ROOT);
    String level = consistency.trim().toLowerCase(Locale.ROOT);
    if (targetName.equals("etcd") && level.equals("stale")) {
      level = "serializable";
    }
    if (targetName.equals("ev")) {
      // The eventual keyspace has no consistency levels; its quorums travel in the same field.
      level = "w=" + w.trim().toLowerCase(Locale.ROOT) + ",r=" + r.trim().toLowerCase(Locale.ROOT);
    }
    List<URI> resolved = new ArrayList<>(endpoints);
    if (resolved.isEmpty()) {
      resolved.add(URI.create(targetName.equals("etcd") ? "http://127.0.0.1:2379" : "http://127.0.0.1:8080"));
    }
    for (URI endpoint : resolved) {
      HttpTransport.requireLoopback(endpoint);
    }
    boolean open = rate != null;
    if (open && clients != null) {
      throw new IllegalArgumentException("give either --clients (closed loop) or --rate (open loop), not both");
    }
    if (open && !(rate > 0)) {
      throw new IllegalArgumentException("--rate must be positive, was " + rate);
    }
    return new BenchSettings(
        targetName,
        resolved,
        Workload.parse(workload),
        readRatio,
        level,
        open ? 0 : (clients == null ? 16 : clients),
        open ? rate : 0,
        maxOutstanding,
        keys,
        keyDistribution.trim().toLowerCase(Locale.ROOT),
        zipfTheta,
        keyPrefix,
        valueSize,
        duration,
        warmup,
        preload,
        timeout,
        maxOps,
        seed,
        httpClient.trim().toLowerCase(Locale.ROOT),
        httpClients,
        httpThreads,
        etcdApiPrefix,
        txnKeys.trim().toLowerCase(Locale.ROOT));
  }

  static Path withSuffix(Path prefix, String suffix) {
    String name = prefix.getFileName().toString();
    if (name.endsWith(".json")) {
      name = name.substring(0, name.length() - 5);
    }
    return prefix.resolveSibling(name + suffix);
  }

  static String chartTitle(BenchSettings s) {
    String load = s.openLoop() ? String.format(Locale.ROOT, "%.0f req/s", s.ratePerSecond()) : s.clients() + " clients";
    String reads = s.workload() == Workload.PUT ? "" : " " + s.consistency();
    if (s.workload() == Workload.TXN_TRANSFER) {
      reads = " " + s.txnKeys();
    }
    return s.target() + " " + s.workload().label() + reads + ", " + load;
  }

  static String describe(BenchSettings s) {
    return String.format(
        Locale.ROOT,
        "bench: %s %s%s against %s, %s, %d keys (%s), %d-byte values, %ds + %ds warm-up%s",
        s.target(),
        s.workload().label(),
        s.workload() == Workload.PUT ? "" : s.workload() == Workload.TXN_TRANSFER ? " (" + s.txnKeys() + ")"
            : " (" + s.consistency() + (s.workload() == Workload.MIXED ? ", read ratio " + s.readRatio() : "") + ")",
        s.endpoints(),
        s.openLoop() ? String.format(Locale.ROOT, "open loop at %.0f req/s (max %d outstanding)", s.ratePerSecond(), s.maxOutstanding())
            : "closed loop with " + s.clients() + " clients",
        s.keys(),
        s.keyDistribution().equals("zipfian") ? "zipfian theta " + s.zipfTheta() : "uniform",
        s.valueSize(),
        s.duration().toSeconds(),
        s.warmup().toSeconds(),
        s.preload() ? ", preloaded" : "");
  }

  static String summary(BenchResult r) {
    StringBuilder text = new StringBuilder();
    Percentiles p = r.latency();
    text.append(String.format(Locale.ROOT, "throughput  %.1f ops/s answered (%.1f attempts/s) over %.1f s%n",
        r.throughput(), r.attemptRate(), r.measuredSeconds()));
    text.append(String.format(Locale.ROOT,
        "operations  %d ok, %d not found, %d CAS conflicts, %d errors, %d abandoned, %d resent on a closed keep-alive%n",
        r.ok(), r.notFound(), r.casConflicts(), r.errors(), r.abandoned(), r.transportRetries()));
    text.append(String.format(Locale.ROOT,
        "latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
        p.p50(), p.p90(), p.p99(), p.p999(), p.max(), p.mean()));
    Percentiles e = r.errorLatency();
    if (e != null && e.count() > 0) {
      text.append(String.format(Locale.ROOT,
          "error ms    p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f (%d errors the server answered)%n",
          e.p50(), e.p90(), e.p99(), e.p999(), e.max(), e.count()));
    }
    if (r.toolCpuSeconds() >= 0) {
      text.append(String.format(Locale.ROOT, "tool cpu    %.2f s after warm-up (%.1f us per request)%n",
          r.toolCpuSeconds(), Math.max(0, r.toolCpuMicrosPerAttempt())));
    }
    for (Map.Entry<String, Long> error : r.errorsByCode().entrySet()) {
      String example = r.errorExamples().get(error.getKey());
      text.append(String.format(Locale.ROOT, "error       %-32s %d%s%n", error.getKey(), error.getValue(),
          example == null ? "" : "  e.g. " + example));
    }
    return text.toString();
  }
}
