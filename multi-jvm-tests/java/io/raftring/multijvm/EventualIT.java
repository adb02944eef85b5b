package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.multijvm.NodeCluster.Node;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The eventual keyspace on three node processes (N = 3) under the nemesis: clients read a key and write or delete it
 * with the read's causal context (W = 1 or quorum) through random live nodes while nodes are killed (kill -9) and
 * restarted, paused (SIGSTOP) and partitioned. Then every fault is healed and the test waits until every key's three
 * replicas hold the same value, and checks that
 * <ul>
 *   <li>every acknowledged write that no attempted write or delete superseded is there, as a value or a sibling, on
 *       all three replicas;
 *   <li>no value an acknowledged write or delete superseded is (deleted keys do not come back).
 * </ul>
 * A second phase cuts one node off for {@code -Draftring.ev.partition} (default 5 s) while clients write on both
 * sides with W = 1, heals, and measures convergence again. Both convergence times go to
 * {@code target/histories/eventual.txt}. Timers are short (anti-entropy every 500 ms, hints kept 3 s, tombstones
 * purged 4 s after a delete once anti-entropy spread them); at the end the test waits until every tombstone is purged
 * and checks again.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class EventualIT {

  private static final long SEED = Long.getLong("raftring.seed", System.currentTimeMillis());
  private static final Duration LOAD = Duration.ofSeconds(Long.getLong("raftring.ev.load-seconds", 14));
  private static final Duration PARTITION = Duration.ofSeconds(Long.getLong("raftring.ev.partition-seconds", 5));
  private static final Duration CONVERGE_WITHIN = Duration.ofSeconds(60);
  private static final int KEYS = 16;
  private static final int CLIENTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CONFIG = List.of(
      "raftring.eventual.replicas = 3",
      "raftring.eventual.anti-entropy.interval = 500ms",
      "raftring.eventual.anti-entropy.request-timeout = 2s",
      "raftring.eventual.hinted-handoff.interval = 200ms",
      "raftring.eventual.hinted-handoff.max-age = 3s",
      "raftring.eventual.hinted-handoff.expire-interval = 500ms",
      "raftring.eventual.tombstones.grace = 4s",
      "raftring.eventual.tombstones.sweep-interval = 500ms",
      "raftring.http.request-timeout = 2s");

  /** Everything the clients did to one key. */
  private static final class KeyHistory {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Values that an attempted write or delete (acknowledged or maybe applied) had read and so may supersede. */
    final Set<String> supersededByAttempt = ConcurrentHashMap.newKeySet();
    /** Values that an acknowledged write or delete superseded: gone for good. */
    final Set<String> supersededForSure = ConcurrentHashMap.newKeySet();
    /** What happened to the key, for the report of a violation. */
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  private final long startNanos = System.nanoTime();

  private String now() {
    return String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e9);
  }

  private final Map<String, KeyHistory> histories = new ConcurrentHashMap<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void everyAcknowledgedWriteIsOnEveryReplicaAfterTheNemesisAndDeletesStayDeleted() throws Exception {
    Random random = new Random(SEED);
    List<String> report = new ArrayList<>();
    try (NodeCluster cluster = new NodeCluster("eventual", 3, 1, CONFIG)) {
      cluster.startAll(Duration.ofSeconds(90));
      for (int i = 0; i < KEYS; i++) {
        histories.put("ev-" + i, new KeyHistory());
      }
      // Phase 1: the nemesis while clients write with W = 1 or quorum.
      Nemesis.Kind kinds = Nemesis.mix(Nemesis.crashRandom(), Nemesis.pause(), Nemesis.majorityMinority(),
          Nemesis.bridge());
      List<String> faults = new ArrayList<>();
      runClients(cluster, "a", LOAD, random.nextLong(), () -> {
        long end = System.nanoTime() + LOAD.toNanos() - Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
          NodeCluster.sleep(Duration.ofMillis(1500));
          Nemesis.Fault fault = kinds.apply(cluster, random);
          faults.add(now() + " " + fault.describe());
          fault.inject();
          NodeCluster.sleep(Duration.ofMillis(2500));
          fault.heal();
        }
      });
      long healed = System.nanoTime();
      Duration nemesisConvergence = awaitConvergence(cluster, healed);
      List<String> problems = check(cluster);
      report.add("nemesis: " + faults.size() + " faults " + faults + "; converged " + nemesisConvergence.toMillis()
          + " ms after the last heal");

      // Phase 2: one node cut off, clients writing on both sides with W = 1.
      List<Node> nodes = cluster.nodes();
      Node alone = nodes.get(random.nextInt(nodes.size()));
      List<Node> rest = nodes.stream().filter(n -> n != alone).toList();
      runClients(cluster, "b", PARTITION.plusSeconds(1), random.nextLong(), () -> {
        NodeCluster.sleep(Duration.ofMillis(500));
        cluster.partition(List.of(alone), rest);
        faults.add(now() + " partition " + alone);
        NodeCluster.sleep(PARTITION);
        cluster.heal();
        faults.add(now() + " healed");
      });
      long partitionHealed = System.nanoTime();
      Duration partitionConvergence = awaitConvergence(cluster, partitionHealed);
      problems.addAll(check(cluster));
      report.add("partition of " + alone + " for " + PARTITION.toSeconds() + " s with writes on both sides: converged "
          + partitionConvergence.toMillis() + " ms after the heal");
      // Then every tombstone is purged (the grace period is short here), and the checks must still hold.
      long purged = awaitTombstonesPurged(cluster);
      awaitConvergence(cluster, System.nanoTime());
      problems.addAll(check(cluster));
      report.add("tombstones purged after the last phase: " + purged);
      report.add("operations: " + acknowledged + " acknowledged, " + failed + " refused (nothing done), " + unknown
          + " unknown; seed " + SEED);
      report.add(problems.isEmpty() ? "no violations" : "VIOLATIONS: " + problems);
      writeReport(report);
      assertThat(problems).as(String.join("\n", report)).isEmpty();
      assertThat(acknowledged.get()).as("acknowledged writes").isGreaterThan(50);
      assertThat(faults).isNotEmpty();
    }
  }

  // ---- clients

  /**
   * Runs {@link #CLIENTS} clients for {@code load} while {@code faults} runs on this thread, then stops them. Every
   * value written is unique: {@code <phase>c<client>-<n>}.
   */
  private void runClients(NodeCluster cluster, String phase, Duration load, long seed, Runnable faults)
      throws Exception {
    long end = System.nanoTime() + load.toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Random random = new Random(seed + c);
      Thread thread = new Thread(() -> {
        long sequence = 0;
        while (System.nanoTime() < end) {
          List<Node> live = cluster.responsiveNodes();
          if (live.isEmpty()) {
            NodeCluster.sleep(Duration.ofMillis(50));
            continue;
          }
          Node node = live.get(random.nextInt(live.size()));
          String key = "ev-" + random.nextInt(KEYS);
          String w = random.nextBoolean() ? "1" : "quorum";
          boolean delete = random.nextInt(6) == 0;
          readThenWrite(cluster, node, key, delete ? null : phase + "c" + client + "-" + sequence++, w);
        }
      }, "ev-client-" + c);
      thread.start();
      clients.add(thread);
    }
    faults.run();
    for (Thread thread : clients) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
    cluster.heal();
    for (Node node : cluster.nodes()) {
      if (!node.isRunning()) {
        cluster.launch(node);
      } else if (cluster.responsiveNodes().stream().noneMatch(n -> n == node)) {
        cluster.resume(node);
      }
    }
    cluster.awaitAllReady(Duration.ofSeconds(90));
  }

  /** GET with r=1, then PUT (or DELETE when {@code value} is null) with the read's context. */
  private void readThenWrite(NodeCluster cluster, Node node, String key, String value, String w) {
    KeyHistory history = histories.get(key);
    HttpResponse<String> read = send(cluster, node, "GET", "/v1/ev/" + key + "?r=1", null, null);
    if (read == null || (read.statusCode() != 200 && read.statusCode() != 404)) {
      return;
    }
    String context = read.headers().firstValue("X-RaftRing-Context").orElse(null);
    Set<String> seen = read.statusCode() == 200 ? liveValues(parse(read.body()).get("siblings")) : Set.of();
    HttpResponse<String> write = send(cluster, node, value == null ? "DELETE" : "PUT", "/v1/ev/" + key + "?w=" + w,
        value, context);
    int status = write == null ? -1 : write.statusCode();
    history.events.add(now() + " " + Thread.currentThread().getName() + " via " + node + " " + (value == null
        ? "DELETE" : "PUT " + value) + " w=" + w + " seen=" + seen + " -> " + status);
    if (status == 200) {
      acknowledged.incrementAndGet();
      history.supersededByAttempt.addAll(seen);
      history.supersededForSure.addAll(seen);
      if (value != null) {
        history.acknowledged.add(value);
      }
    } else if (status == 503 && write.body().contains("NO_QUORUM")) {
      failed.incrementAndGet(); // refused before anything was written
    } else {
      unknown.incrementAndGet(); // may have been applied
      history.supersededByAttempt.addAll(seen);
    }
  }

  // ---- convergence and the check

  /** Waits until every key's home replicas hold the same value; returns how long after {@code healedNanos}. */
  private Duration awaitConvergence(NodeCluster cluster, long healedNanos) {
    long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (histories.keySet().stream().allMatch(key -> converged(explain(cluster, key)))) {
        return Duration.ofNanos(System.nanoTime() - healedNanos);
      }
      NodeCluster.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError("replicas did not converge within " + CONVERGE_WITHIN);
  }

  /** Waits until no node keeps a tombstone; returns how many the nodes purged in all. */
  private long awaitTombstonesPurged(NodeCluster cluster) {
    long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      long kept = 0;
      long purged = 0;
      for (Node node : cluster.nodes()) {
        HttpResponse<String> status = send(cluster, node, "GET", "/v1/cluster", null, null);
        if (status == null || status.statusCode() != 200) {
          kept = -1;
          break;
        }
        JsonNode eventual = parse(status.body()).get("eventual");
        kept += eventual.get("tombstones").asLong();
        purged += eventual.get("tombstones_purged_total").asLong();
      }
      if (kept == 0) {
        return purged;
      }
      NodeCluster.sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("tombstones were not purged within " + CONVERGE_WITHIN);
  }

  private static boolean converged(JsonNode explain) {
    if (explain == null) {
      return false;
    }
    Set<String> digests = new HashSet<>();
    int answered = 0;
    for (JsonNode replica : explain.get("replicas")) {
      if (replica.get("role").asText().equals("home") && replica.has("digest")) {
        digests.add(replica.get("digest").asText());
        answered++;
      }
    }
    return answered == 3 && digests.size() == 1;
  }

  private List<String> check(NodeCluster cluster) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, KeyHistory> entry : new TreeMap<>(histories).entrySet()) {
      String key = entry.getKey();
      KeyHistory history = entry.getValue();
      JsonNode explain = explain(cluster, key);
      int before = problems.size();
      for (JsonNode replica : explain.get("replicas")) {
        String node = replica.get("node").asText();
        Set<String> present = liveValues(replica.get("siblings"));
        for (String value : history.acknowledged) {
          if (!history.supersededByAttempt.contains(value) && !present.contains(value)) {
            problems.add(key + ": acknowledged write " + value + " missing on " + node + " (has " + present + ")");
          }
        }
        for (String value : history.supersededForSure) {
          if (present.contains(value)) {
            problems.add(key + ": " + value + " came back on " + node + " after a write or delete superseded it");
          }
        }
      }
      if (problems.size() > before) {
        problems.add(key + " now: " + explain + "\n" + key + " history:\n  " + String.join("\n  ", history.events));
      }
    }
    return problems;
  }

  private JsonNode explain(NodeCluster cluster, String key) {
    for (Node node : cluster.responsiveNodes()) {
      HttpResponse<String> response = send(cluster, node, "GET", "/v1/ev/" + key + "?explain=true", null, null);
      if (response != null && response.statusCode() == 200) {
        return parse(response.body());
      }
    }
    return null;
  }

  private static Set<String> liveValues(JsonNode siblings) {
    Set<String> values = new TreeSet<>();
    if (siblings != null) {
      for (JsonNode sibling : siblings) {
        if (sibling.has("value")) {
          values.add(new String(Base64.getDecoder().decode(sibling.get("value").asText()), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  // ---- HTTP

  private HttpResponse<String> send(NodeCluster cluster, Node node, String method, String path, String body,
      String context) {
    HttpRequest.Builder request = HttpRequest.newBuilder(cluster.uri(node, path)).timeout(Duration.ofSeconds(3))
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (context != null) {
      request.header("X-RaftRing-Context", context);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  private static void writeReport(List<String> lines) throws IOException {
    Path dir = Paths.get("target", "histories");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("eventual.txt"), String.join("\n", lines) + "\n");
    lines.forEach(System.out::println);
  }
}
