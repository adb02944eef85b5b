package io.raftring.multijvm;

import io.raftring.check.CheckResult;
import io.raftring.check.History;
import io.raftring.check.HistoryReader;
import io.raftring.check.HistoryRecorder;
import io.raftring.check.LinearizabilityChecker;
import io.raftring.multijvm.NodeCluster.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Runs one fault-injection scenario against a fresh {@link NodeCluster}: clients under load for {@code load}, a fault
 * every few seconds (quiet, inject, hold, heal), then everything healed, a final linearizable read of every key, and
 * the whole history checked. Returns what failed, as readable lines; the history stays in
 * {@code target/histories/<name>.jsonl} whatever the outcome, and a summary line is appended to
 * {@code target/histories/summary.txt}.
 */
public final class ScenarioRunner {

  /** Load and fault timing. */
  public record Timing(Duration load, Duration quiet, Duration hold, Duration availabilityBound) {}

  /** What a scenario did and found. */
  public record Report(String name, long ok, long fail, long info, int faults, String verdict, long maxRecoveryMillis,
      int staleMinorityReads, List<String> problems, String checkerOutput) {
    public String summary() {
      return String.format(Locale.ROOT,
          "%-28s ops=%d (ok %d, fail %d, info %d) faults=%d verdict=%s max-recovery-after-heal=%dms"
              + " minority-strong-reads-served=%d problems=%d",
          name, ok + fail + info, ok, fail, info, faults, verdict, maxRecoveryMillis, staleMinorityReads,
          problems.size());
    }
  }

  private static final int MINORITY_READ_PROCESS = 500_000;
  private static final int FINAL_READ_PROCESS = 900_000;
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  private ScenarioRunner() {}

  public static Report run(String name, int nodeCount, int groups, Nemesis.Kind kind, Timing timing, long seed)
      throws IOException {
    Path historyFile = Paths.get("target", "histories", name + ".jsonl");
    Random random = new Random(seed);
    List<String> problems = new ArrayList<>();
    List<String> faultLog = new ArrayList<>();
    long maxRecovery = 0;
    int staleMinorityReads = 0;
    int faults = 0;
    Workload workload = null;
    HistoryRecorder history = HistoryRecorder.toFile(historyFile);
    try (NodeCluster cluster = new NodeCluster(name, nodeCount, groups)) {
      cluster.startAll(Duration.ofSeconds(90));
      KvClient client = new KvClient(cluster, CLIENT_TIMEOUT);
      KvClient minorityClient = new KvClient(cluster, Duration.ofSeconds(1));
      List<String> keys = Workload.keysCoveringEveryGroup(cluster, "k", groups == 1 ? 4 : 2);
      workload = new Workload(cluster, history, client, keys, 5, seed);
      workload.start();
      long start = System.nanoTime();
      long loadNanos = timing.load().toNanos();
      List<Long> heals = new ArrayList<>();
      int minorityProcess = MINORITY_READ_PROCESS;
      while (System.nanoTime() - start + timing.quiet().plus(timing.hold()).toNanos() <= loadNanos) {
        NodeCluster.sleep(timing.quiet());
        Nemesis.Fault fault = kind.apply(cluster, random);
        long injected = System.nanoTime();
        fault.inject();
        faults++;
        // Half way through the hold, strong reads through nodes cut off from the majority must be refused.
        NodeCluster.sleep(timing.hold().dividedBy(2));
        for (Node node : fault.minority()) {
          for (String key : keys.subList(0, 1)) {
            history.invokeRead(minorityProcess, key);
            KvClient.Result r = minorityClient.read(node, key, "linearizable");
            r.recordRead(history, minorityProcess);
            if (r.kind() == KvClient.Kind.OK) {
              staleMinorityReads++;
              problems.add("a linearizable read of " + key + " through " + node + " in the minority was served ("
                  + r.status() + ") during: " + fault.describe());
            }
            minorityProcess++;
          }
        }
        NodeCluster.sleep(timing.hold().dividedBy(2));
        long healStarted = System.nanoTime();
        fault.heal();
        // Healed: partitions lifted, paused nodes resumed, killed nodes restarted and ready again.
        heals.add(System.nanoTime());
        faultLog.add(String.format(Locale.ROOT, "%8.1fs %-60s held %.1fs, healed in %.1fs", (injected - start) / 1e9,
            fault.describe(), (healStarted - injected) / 1e9, (System.nanoTime() - healStarted) / 1e9));
      }
      // Let the load run out, and at least until every group served a write after the last heal.
      long end = start + loadNanos;
      long recoveryDeadline = System.nanoTime() + timing.availabilityBound().toNanos();
      long lastHeal = heals.isEmpty() ? start : heals.get(heals.size() - 1);
      while (System.nanoTime() < end
          || System.nanoTime() < recoveryDeadline && !everyGroupWroteAfter(cluster, workload, lastHeal)) {
        NodeCluster.sleep(Duration.ofMillis(100));
      }
      workload.close();
      for (int i = 0; i < heals.size(); i++) {
        long healed = heals.get(i);
        for (String group : cluster.placement().groups()) {
          Optional<Long> first = workload.firstOkWriteAfter(group, healed);
          long millis = first.map(t -> (t - healed) / 1_000_000).orElse(Long.MAX_VALUE);
          maxRecovery = Math.max(maxRecovery, millis);
          if (millis > timing.availabilityBound().toMillis()) {
            problems.add("group " + group + " served no write within " + timing.availabilityBound()
                + " after fault " + (i + 1) + " was healed (" + faultLog.get(i).trim() + ")"
                + (first.isPresent() ? ": took " + millis + "ms" : ""));
          }
        }
      }
      // Everything is healed: a final strong read of every key, in the history, must succeed.
      cluster.awaitAllReady(Duration.ofSeconds(60));
      int process = FINAL_READ_PROCESS;
      for (String key : keys) {
        boolean done = false;
        for (int attempt = 0; attempt < 20 && !done; attempt++) {
          Node node = cluster.nodes().get(attempt % cluster.nodes().size());
          history.invokeRead(process, key);
          KvClient.Result r = client.read(node, key, "linearizable");
          r.recordRead(history, process);
          if (r.kind() == KvClient.Kind.OK) {
            done = true;
          } else {
            NodeCluster.sleep(Duration.ofMillis(500));
          }
          process++;
        }
        if (!done) {
          problems.add("the final linearizable read of " + key + " never succeeded");
        }
      }
    } catch (RuntimeException e) {
      // Still check what was recorded: the history is evidence whatever stopped the scenario.
      problems.add("scenario aborted: " + e);
    } finally {
      if (workload != null) {
        workload.close();
      }
      history.close();
      writeFaultLog(name, faultLog);
    }
    History recorded = HistoryReader.read(historyFile);
    CheckResult result = new LinearizabilityChecker(Duration.ofSeconds(120)).check(recorded);
    if (!result.isLinearizable()) {
      problems.add("history " + historyFile + " is " + result.verdict() + ":\n" + result.describe());
    }
    Workload w = workload;
    Report report = new Report(name, w == null ? 0 : w.okCount(), w == null ? 0 : w.failCount(),
        w == null ? 0 : w.infoCount(), faults,
        result.verdict().name(), maxRecovery, staleMinorityReads, problems, result.describe());
    if (w != null) {
      faultLog.add("non-ok answers: " + w.errorCounts());
    }
    appendSummary(report, faultLog, seed);
    return report;
  }

  private static boolean everyGroupWroteAfter(NodeCluster cluster, Workload workload, long since) {
    return cluster.placement().groups().stream().allMatch(g -> workload.firstOkWriteAfter(g, since).isPresent());
  }

  private static void writeFaultLog(String name, List<String> faultLog) throws IOException {
    Path file = Paths.get("target", "histories", name + ".faults.txt");
    Files.createDirectories(file.getParent());
    Files.write(file, faultLog, StandardCharsets.UTF_8);
  }

  private static void appendSummary(Report report, List<String> faultLog, long seed) throws IOException {
    Path file = Paths.get("target", "histories", "summary.txt");
    List<String> lines = new ArrayList<>();
    lines.add(report.summary() + " seed=" + seed);
    faultLog.forEach(f -> lines.add("    " + f));
    report.problems().forEach(p -> lines.add("    PROBLEM: " + p));
    Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println(String.join("\n", lines));
  }
}
