package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.check.CheckResult;
import io.raftring.check.HistoryReader;
import io.raftring.check.HistoryRecorder;
import io.raftring.check.LinearizabilityChecker;
import io.raftring.multijvm.NodeCluster.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover figure: how long after its leader is SIGKILLed a group (G = 1, three nodes, default timeouts) takes
 * its first write again. Each trial kills the current leader, then sends a write through a surviving node every
 * {@value #WRITE_EVERY_MILLIS} ms (each its own client, so a write stuck on the dead leader does not hold the next
 * ones back) until one succeeds; the time from the kill to that success is the trial's figure. The killed node is
 * restarted and the cluster made whole before the next trial. Every write is recorded and the history checked.
 *
 * <p>{@code -Draftring.failover.trials=N}: 10 by default (CI; each trial restarts a JVM), 20 for the figure. Figures
 * go to {@code target/histories/failover.txt}.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class FailoverIT {

  private static final int TRIALS = Integer.getInteger("raftring.failover.trials", 10);
  private static final long WRITE_EVERY_MILLIS = 20;
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(15);

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void aGroupWritesAgainSoonAfterItsLeaderIsKilled() throws Exception {
    Path historyFile = Paths.get("target", "histories", "failover.jsonl");
    List<Long> millis = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    AtomicInteger processes = new AtomicInteger();
    try (HistoryRecorder history = HistoryRecorder.toFile(historyFile);
        NodeCluster cluster = new NodeCluster("failover", 3, 1)) {
      cluster.startAll(Duration.ofSeconds(90));
      KvClient client = new KvClient(cluster, Duration.ofSeconds(2));
      String group = cluster.placement().groups().get(0);
      for (int trial = 1; trial <= TRIALS; trial++) {
        cluster.awaitAllReady(Duration.ofSeconds(60));
        Node leader = cluster.awaitLeader(group, Duration.ofSeconds(30));
        List<Node> survivors = cluster.nodes().stream().filter(n -> n != leader).toList();
        String key = "failover-" + trial;
        // Give the survivors a moment to have heard from the leader, as they would in steady state.
        NodeCluster.sleep(Duration.ofMillis(300));
        long killed = System.nanoTime();
        cluster.kill(leader);
        AtomicLong firstOk = new AtomicLong(Long.MAX_VALUE);
        List<CompletableFuture<KvClient.Result>> writes = new ArrayList<>();
        for (int i = 0; firstOk.get() == Long.MAX_VALUE
            && System.nanoTime() - killed < GIVE_UP_AFTER.toNanos(); i++) {
          int process = processes.getAndIncrement();
          String value = "t" + trial + "-" + i;
          history.invokeWrite(process, key, value);
          writes.add(client.putAsync(survivors.get(i % survivors.size()), key, value).whenComplete((r, e) -> {
            long now = System.nanoTime();
            r.recordWrite(history, process);
            if (r.kind() == KvClient.Kind.OK) {
              firstOk.accumulateAndGet(now, Math::min);
            }
          }));
          NodeCluster.sleep(Duration.ofMillis(WRITE_EVERY_MILLIS));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        long took = firstOk.get() == Long.MAX_VALUE ? -1 : (firstOk.get() - killed) / 1_000_000;
        millis.add(took < 0 ? Long.MAX_VALUE : took);
        String line = String.format(Locale.ROOT, "trial %2d: killed leader %s, first write ok after %s (%d writes sent)",
            trial, leader, took < 0 ? "NEVER" : took + " ms", writes.size());
        lines.add(line);
        System.out.println(line);
        cluster.launch(leader);
      }
    } finally {
      List<Long> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      if (!sorted.isEmpty()) {
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        String summary = String.format(Locale.ROOT,
            "failover (G=1, 3 nodes, default timeouts) over %d trials: median %d ms, max %s ms, min %d ms",
            sorted.size(), median, sorted.get(sorted.size() - 1) == Long.MAX_VALUE ? "NEVER" : sorted.get(sorted.size() - 1),
            sorted.get(0));
        lines.add(summary);
        System.out.println(summary);
      }
      Files.createDirectories(historyFile.getParent());
      Files.write(Paths.get("target", "histories", "failover.txt"), lines, StandardCharsets.UTF_8);
    }
    CheckResult result = new LinearizabilityChecker(Duration.ofSeconds(60)).check(HistoryReader.read(historyFile));
    assertThat(result.isLinearizable()).as(result.describe()).isTrue();
    assertThat(millis).hasSize(TRIALS);
    assertThat(millis.stream().filter(m -> m >= 10_000).toList())
        .as("trials whose group took 10 s or more (or never, within %s) to write again:%n%s", GIVE_UP_AFTER,
            String.join("\n", lines))
        .isEmpty();
  }
}
