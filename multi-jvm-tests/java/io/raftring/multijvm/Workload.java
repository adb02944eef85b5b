package io.raftring.multijvm;

import io.raftring.check.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients doing random reads, writes, compare-and-sets and deletes on a few keys through random nodes,
 * every operation recorded in a {@link HistoryRecorder}. Each client thread is one process with at most one
 * operation in flight; after an operation with an unknown outcome it continues as a new process (the old one's
 * operation may still take effect at any time, as in Jepsen).
 */
public final class Workload implements AutoCloseable {

  /** Process ids of client threads are {@code thread + k * PROCESS_STRIDE}. */
  static final int PROCESS_STRIDE = 1000;

  private final NodeCluster cluster;
  private final HistoryRecorder history;
  private final KvClient client;
  private final List<String> keys;
  private final int threads;
  private final long seed;
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> workers = new ArrayList<>();
  /** The last value a client saw or wrote for each key ("" = absent), used as the expected value of cas. */
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  /** Completion times (nanoTime) of acknowledged writes, per group: the evidence of availability. */
  private final Map<String, ConcurrentSkipListSet<Long>> okWritesByGroup = new ConcurrentHashMap<>();
  /** How non-OK answers ended, by operation, status and error code (e.g. "write 504 TIMEOUT"): for reports. */
  private final Map<String, AtomicLong> errors = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();

  public Workload(NodeCluster cluster, HistoryRecorder history, KvClient client, List<String> keys, int threads,
      long seed) {
    this.cluster = cluster;
    this.history = history;
    this.client = client;
    this.keys = List.copyOf(keys);
    this.threads = threads;
    this.seed = seed;
    for (String group : cluster.placement().groups()) {
      okWritesByGroup.put(group, new ConcurrentSkipListSet<>());
    }
  }

  /** Keys {@code prefix0, prefix1, ...}: {@code perGroup} of them in every group of the cluster's ring. */
  public static List<String> keysCoveringEveryGroup(NodeCluster cluster, String prefix, int perGroup) {
    Map<String, Integer> count = new ConcurrentHashMap<>();
    List<String> keys = new ArrayList<>();
    int groups = cluster.placement().groups().size();
    for (int i = 0; i < 10_000 && keys.size() < perGroup * groups; i++) {
      String key = prefix + i;
      String group = cluster.placement().groupOf(key);
      if (count.merge(group, 1, Integer::sum) <= perGroup) {
        keys.add(key);
      }
    }
    return keys;
  }

  public void start() {
    running.set(true);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> run(thread), "client-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /** Stops the clients and waits for their operations in flight to end (each is bounded by its timeout). */
  @Override
  public void close() {
    running.set(false);
    for (Thread worker : workers) {
      try {
        worker.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run(int thread) {
    Random random = new Random(seed * 31 + thread);
    int process = thread;
    long seq = 0;
    while (running.get()) {
      String key = keys.get(random.nextInt(keys.size()));
      NodeCluster.Node node = pickNode(random);
      int dice = random.nextInt(100);
      KvClient.Result result;
      if (dice < 40) {
        history.invokeRead(process, key);
        result = client.read(node, key, "linearizable");
        result.recordRead(history, process);
        if (result.kind() == KvClient.Kind.OK) {
          lastSeen.put(key, result.value() == null ? "" : result.value());
        }
      } else {
        String value = "p" + process + "-" + (++seq);
        if (dice < 70) {
          history.invokeWrite(process, key, value);
          result = client.put(node, key, value);
        } else if (dice < 90) {
          String seen = lastSeen.get(key);
          String expected = seen == null || seen.isEmpty() ? null : seen;
          history.invokeCas(process, key, expected, value);
          result = client.cas(node, key, expected, value);
        } else {
          value = "";
          history.invokeDelete(process, key);
          result = client.delete(node, key);
        }
        result.recordWrite(history, process);
        if (result.kind() == KvClient.Kind.OK) {
          lastSeen.put(key, value);
          okWritesByGroup.get(cluster.placement().groupOf(key)).add(System.nanoTime());
        } else if (result.kind() == KvClient.Kind.INFO) {
          process += PROCESS_STRIDE;
        }
      }
      count(result.kind());
      if (result.kind() != KvClient.Kind.OK) {
        String op = dice < 40 ? "read" : dice < 70 ? "write" : dice < 90 ? "cas" : "delete";
        errors.computeIfAbsent(op + " " + result.status() + " " + result.errorCode(), k -> new AtomicLong())
            .incrementAndGet();
      }
      // A refused or failed request (a dead node answers at once) backs off, so an outage does not flood the history.
      int pause = result.kind() == KvClient.Kind.OK ? 2 + random.nextInt(10) : 50 + random.nextInt(50);
      NodeCluster.sleep(Duration.ofMillis(pause));
    }
  }

  private NodeCluster.Node pickNode(Random random) {
    List<NodeCluster.Node> running = cluster.nodes().stream().filter(NodeCluster.Node::isRunning).toList();
    List<NodeCluster.Node> from = running.isEmpty() ? cluster.nodes() : running;
    return from.get(random.nextInt(from.size()));
  }

  private void count(KvClient.Kind kind) {
    switch (kind) {
      case OK -> ok.incrementAndGet();
      case REFUSED, FAIL -> failed.incrementAndGet();
      case INFO -> unknown.incrementAndGet();
    }
  }

  /** When the first write acknowledged at or after {@code sinceNanos} on {@code group} was acknowledged. */
  public Optional<Long> firstOkWriteAfter(String group, long sinceNanos) {
    return Optional.ofNullable(okWritesByGroup.get(group).ceiling(sinceNanos));
  }

  /** Counts of non-OK answers by operation, status and error code. */
  public Map<String, Long> errorCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    errors.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  public List<String> keys() {
    return keys;
  }

  public long okCount() {
    return ok.get();
  }

  public long failCount() {
    return failed.get();
  }

  public long infoCount() {
    return unknown.get();
  }
}
