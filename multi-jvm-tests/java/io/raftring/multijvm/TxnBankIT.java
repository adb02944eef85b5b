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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bank under faults: accounts in every group of a three-node cluster, clients moving money between them with
 * transactions (most span two groups: two-phase commit) through random nodes, and a reader taking read-only
 * transactions of every account. Faults, one at a time: a coordinator halted (as kill -9) exactly after sending its
 * prepares, after all participants prepared, and after its commit point (the halted node also leads some groups, so
 * participants' leaders die with it); a node paused; a minority partitioned off; in a soak, group leaders killed too.
 * Then:
 *
 * <ul>
 *   <li>every snapshot (read-only transaction) sums to the opening total;
 *   <li>no transfer is half applied: following each account's values back (each names the transfer that wrote it),
 *       a transfer's value is in one account's history exactly when it is in the other's;
 *   <li>every acknowledged transfer is in both histories, and the one whose coordinator died after its commit point
 *       was finished by recovery;
 *   <li>the per-key history (transfers as compare-and-sets, snapshots as reads) is linearizable.
 * </ul>
 *
 * {@code -Draftring.soak=120s} runs it longer; {@code -Draftring.seed=N} replays its choices. History:
 * {@code target/histories/txn-bank.jsonl}; summary in {@code target/histories/summary.txt}.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class TxnBankIT {

  private static final long SEED = Long.getLong("raftring.seed", System.currentTimeMillis());
  private static final String OPEN = "100:open";
  private static final int CLIENTS = 3;
  private static final int READER = 500_000;
  private static final int FINAL = 900_000;
  private static final int STRIDE = 1_000;

  /** One transfer as sent: enough to follow it in both accounts' histories. */
  private record Attempt(String tag, String from, String to, String expectedFrom, String newFrom, String expectedTo,
      String newTo, KvClient.Kind kind, boolean succeeded) {}

  private final List<Attempt> attempts = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicInteger snapshots = new AtomicInteger();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void theTotalHoldsAndNoTransferIsHalfAppliedThroughCrashesAtEveryPhasePausesAndPartitions() throws Exception {
    Path historyFile = Paths.get("target", "histories", "txn-bank.jsonl");
    Random random = new Random(SEED);
    List<String> faultLog = new ArrayList<>();
    HistoryRecorder history = HistoryRecorder.toFile(historyFile);
    List<String> accounts;
    try (NodeCluster cluster = new NodeCluster("txn-bank", 3, 4)) {
      cluster.startAll(Duration.ofSeconds(90));
      BankClient bank = new BankClient(cluster, Duration.ofSeconds(2));
      accounts = Workload.keysCoveringEveryGroup(cluster, "bank/", 2);
      int total = 100 * accounts.size();
      open(bank, cluster, accounts, history);

      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        threads.add(new Thread(() -> transfers(bank, cluster, accounts, history, client, running), "bank-" + c));
      }
      threads.add(new Thread(() -> reader(bank, cluster, accounts, history, total, running), "bank-reader"));
      threads.forEach(Thread::start);

      List<Nemesis.Kind> faults = new ArrayList<>(List.of(crashAtPhase(bank, "prepares_sent"),
          crashAtPhase(bank, "all_prepared"), crashAtPhase(bank, "record_committed"), Nemesis.pause(),
          Nemesis.majorityMinority()));
      if (!soak().isZero()) {
        faults.add(Nemesis.crashLeader());
      }
      long soakEnd = System.nanoTime() + soak().toNanos();
      for (int round = 0; round < faults.size() || System.nanoTime() < soakEnd; round++) {
        Nemesis.Kind kind = round < faults.size() ? faults.get(round) : faults.get(random.nextInt(faults.size()));
        NodeCluster.sleep(Duration.ofMillis(1_000));
        Nemesis.Fault fault = kind.apply(cluster, random);
        long injected = System.nanoTime();
        fault.inject();
        NodeCluster.sleep(Duration.ofMillis(1_500));
        fault.heal();
        faultLog.add(String.format(Locale.ROOT, "%-70s healed after %.1fs", fault.describe(),
            (System.nanoTime() - injected) / 1e9));
      }
      NodeCluster.sleep(Duration.ofSeconds(1));
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
      cluster.awaitAllReady(Duration.ofSeconds(60));
      List<String> last = finalSnapshot(bank, cluster, accounts, history);
      checkLedger(accounts, last);
      assertThat(last.stream().mapToInt(BankClient::balance).sum()).as("the final total").isEqualTo(total);
    } finally {
      history.close();
    }
    CheckResult checked = new LinearizabilityChecker(Duration.ofSeconds(120)).check(HistoryReader.read(historyFile));
    String summary = String.format(Locale.ROOT, "txn-bank seed=%d transfers=%d %s snapshots=%d faults=%s verdict=%s",
        SEED, attempts.size(), new java.util.TreeMap<>(outcomes), snapshots.get(), faultLog, checked.verdict());
    Files.createDirectories(historyFile.getParent());
    Files.write(Paths.get("target", "histories", "summary.txt"), List.of(summary),
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    System.out.println(summary);
    assertThat(problems).as(summary).isEmpty();
    assertThat(checked.isLinearizable()).as(checked.describe()).isTrue();
    assertThat(snapshots.get()).isPositive();
    assertThat(outcomes.getOrDefault("ok-succeeded", new AtomicInteger()).get()).isPositive();
  }

  private static Duration soak() {
    String soak = System.getProperty("raftring.soak", "").trim();
    return soak.isEmpty() ? Duration.ZERO : Duration.ofMillis(com.typesafe.config.ConfigFactory
        .parseString("d = " + soak).getDuration("d").toMillis());
  }

  /**
   * A coordinator killed at {@code phase}: a node is armed to halt there, the clients' next two-phase transfer through
   * it finds it, and heal starts it again.
   */
  private Nemesis.Kind crashAtPhase(BankClient bank, String phase) {
    return new Nemesis.Kind() {
      @Override
      public Nemesis.Fault apply(NodeCluster cluster, Random random) {
        Node node = cluster.nodes().get(random.nextInt(cluster.nodes().size()));
        return new Nemesis.Fault() {
          @Override
          public String describe() {
            return "halt coordinator " + node + " at " + phase;
          }

          @Override
          public void inject() {
            bank.armCrash(node, phase);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (node.isRunning() && System.nanoTime() < deadline) {
              NodeCluster.sleep(Duration.ofMillis(20));
            }
            if (node.isRunning()) {
              problems.add("no two-phase transfer through " + node + " reached " + phase + " within 10 s");
              cluster.kill(node);
            }
          }

          @Override
          public void heal() {
            cluster.launch(node);
            cluster.awaitReady(List.of(node), Nemesis.RESTART_READY_WITHIN);
          }
        };
      }

      @Override
      public String name() {
        return "halt-at-" + phase;
      }
    };
  }

  /** Writes every opening balance in one transaction (recorded as one write per account). */
  private void open(BankClient bank, NodeCluster cluster, List<String> accounts, HistoryRecorder history) {
    for (int i = 0; i < accounts.size(); i++) {
      history.invokeWrite(FINAL - accounts.size() + i, accounts.get(i), OPEN);
    }
    for (int attempt = 0; attempt < 20; attempt++) {
      BankClient.Transfer opened = bank.open(cluster.nodes().get(attempt % 3), accounts, OPEN);
      if (opened.kind() == KvClient.Kind.OK) {
        for (int i = 0; i < accounts.size(); i++) {
          history.ok(FINAL - accounts.size() + i);
        }
        return;
      }
      NodeCluster.sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException("could not open the accounts");
  }

  private void transfers(BankClient bank, NodeCluster cluster, List<String> accounts, HistoryRecorder history,
      int client, AtomicBoolean running) {
    Random random = new Random(SEED * 31 + client);
    int process = client * 2;
    int seq = 0;
    while (running.get()) {
      int from = random.nextInt(accounts.size());
      int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
      Node node = pick(cluster, random);
      BankClient.Snapshot seen = bank.read(node, List.of(accounts.get(from), accounts.get(to)));
      if (seen.values() == null) {
        NodeCluster.sleep(Duration.ofMillis(50));
        continue;
      }
      String tag = "c" + client + "-" + (++seq);
      int amount = 1 + random.nextInt(10);
      String expectedFrom = seen.values().get(0);
      String expectedTo = seen.values().get(1);
      String newFrom = (BankClient.balance(expectedFrom) - amount) + ":" + tag;
      String newTo = (BankClient.balance(expectedTo) + amount) + ":" + tag;
      history.invokeCas(process, accounts.get(from), expectedFrom, newFrom);
      history.invokeCas(process + 1, accounts.get(to), expectedTo, newTo);
      BankClient.Transfer result = bank.transfer(node, accounts.get(from), expectedFrom, newFrom, accounts.get(to),
          expectedTo, newTo);
      synchronized (attempts) {
        attempts.add(new Attempt(tag, accounts.get(from), accounts.get(to), expectedFrom, newFrom, expectedTo, newTo,
            result.kind(), result.succeeded()));
      }
      String outcome = switch (result.kind()) {
        case OK -> result.succeeded() ? "ok-succeeded" : "ok-compare-failed";
        case FAIL, REFUSED -> "fail-" + result.status() + "-" + result.error();
        case INFO -> "info-" + result.status() + "-" + result.error();
      };
      outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
      String cause = result.status() > 0 ? result.status() + " " + result.error() : result.error();
      for (int p = process; p <= process + 1; p++) {
        if (result.kind() == KvClient.Kind.OK && result.succeeded()) {
          history.ok(p);
        } else if (result.kind() == KvClient.Kind.INFO) {
          history.info(p, cause);
        } else if (result.kind() == KvClient.Kind.OK) {
          // Not a refused cas: the answer does not say which of the two compares failed, so neither key's register
          // may be taken to have held something other than its expected value. It did not take effect; that is all.
          history.fail(p, "transaction compare failed");
        } else {
          history.fail(p, cause);
        }
      }
      if (result.kind() == KvClient.Kind.INFO) {
        process += STRIDE;
      }
      NodeCluster.sleep(Duration.ofMillis(result.kind() == KvClient.Kind.OK ? 2 + random.nextInt(8) : 50));
    }
  }

  private void reader(BankClient bank, NodeCluster cluster, List<String> accounts, HistoryRecorder history, int total,
      AtomicBoolean running) {
    Random random = new Random(SEED * 17);
    int base = READER;
    while (running.get()) {
      BankClient.Snapshot snapshot = readRecorded(bank, pick(cluster, random), accounts, history, base);
      if (snapshot.values() != null) {
        snapshots.incrementAndGet();
        int sum = snapshot.values().stream().mapToInt(BankClient::balance).sum();
        if (sum != total) {
          problems.add("a snapshot summed to " + sum + " instead of " + total + ": " + snapshot.values());
        }
      }
      base += accounts.size();
      NodeCluster.sleep(Duration.ofMillis(snapshot.values() != null ? 20 : 100));
    }
  }

  /** A snapshot of every account, recorded as one read per account (each its own process). */
  private static BankClient.Snapshot readRecorded(BankClient bank, Node node, List<String> accounts,
      HistoryRecorder history, int firstProcess) {
    for (int i = 0; i < accounts.size(); i++) {
      history.invokeRead(firstProcess + i, accounts.get(i));
    }
    BankClient.Snapshot snapshot = bank.read(node, accounts);
    for (int i = 0; i < accounts.size(); i++) {
      if (snapshot.values() != null) {
        history.okRead(firstProcess + i, snapshot.values().get(i));
      } else {
        history.fail(firstProcess + i, snapshot.status() > 0 ? snapshot.status() + " " + snapshot.error()
            : String.valueOf(snapshot.error()));
      }
    }
    return snapshot;
  }

  private static List<String> finalSnapshot(BankClient bank, NodeCluster cluster, List<String> accounts,
      HistoryRecorder history) {
    for (int attempt = 0; attempt < 30; attempt++) {
      BankClient.Snapshot snapshot = readRecorded(bank, cluster.nodes().get(attempt % 3), accounts, history,
          FINAL + attempt * accounts.size());
      if (snapshot.values() != null) {
        return snapshot.values();
      }
      NodeCluster.sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException("no final snapshot could be read");
  }

  /**
   * Follows each account's values back from the last one to the opening value, through the transfers that wrote
   * them; then a transfer is applied in an account exactly when its value is on that path.
   */
  private void checkLedger(List<String> accounts, List<String> last) {
    // Per account: a transfer's two values share its tag and may share a balance, so only (account, value) is unique.
    Map<String, String> previousOf = new java.util.HashMap<>();
    for (Attempt a : attempts) {
      if (a.kind() != KvClient.Kind.FAIL) {
        previousOf.put(a.from() + "=" + a.newFrom(), a.expectedFrom());
        previousOf.put(a.to() + "=" + a.newTo(), a.expectedTo());
      }
    }
    Set<String> applied = new HashSet<>();
    for (int i = 0; i < accounts.size(); i++) {
      String value = last.get(i);
      for (int steps = 0; !value.equals(OPEN); steps++) {
        applied.add(accounts.get(i) + "=" + value);
        String previous = previousOf.get(accounts.get(i) + "=" + value);
        if (previous == null || steps > attempts.size()) {
          problems.add(accounts.get(i) + " holds " + value + ", which no transfer sent could have written after "
              + "the path so far");
          break;
        }
        value = previous;
      }
    }
    for (Attempt a : attempts) {
      boolean inFrom = applied.contains(a.from() + "=" + a.newFrom());
      boolean inTo = applied.contains(a.to() + "=" + a.newTo());
      if (inFrom != inTo) {
        problems.add("transfer " + a.tag() + " (" + a.kind() + ") is half applied: in " + (inFrom ? a.from() : a.to())
            + " but not in " + (inFrom ? a.to() : a.from()));
      }
      if (a.kind() == KvClient.Kind.OK && a.succeeded() && !(inFrom && inTo)) {
        problems.add("acknowledged transfer " + a.tag() + " is not in the accounts' histories");
      }
      if (a.kind() == KvClient.Kind.FAIL && (inFrom || inTo)) {
        problems.add("transfer " + a.tag() + " failed but was applied");
      }
    }
  }

  private static Node pick(NodeCluster cluster, Random random) {
    List<Node> up = cluster.responsiveNodes();
    List<Node> from = up.isEmpty() ? cluster.nodes() : up;
    return from.get(random.nextInt(from.size()));
  }
}
