package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.LocalCluster;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eventual keyspace on three nodes in one JVM, N = 2 so that a key's preference list leaves a third node to
 * stand in for a home replica that is down (sloppy quorum). Partitions are Artery blackholes set through the
 * test-only fault-injection routes, as the multi-JVM tests make them. Timers are short, so repair converges in
 * fractions of a second; each test pauses the kinds of repair it must not be helped by.
 */
class EventualClusterTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3");
  /** Generous: a loaded build machine can take seconds over a synced write; no test waits for it to pass. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Explain reports a replica that does not answer in time as such: no need to wait as long. */
  private static final Duration EXPLAIN_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final NodeRing RING = NodeRing.of(NODES, 128, 2);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    Config config = ConfigFactory.parseString(String.join("\n",
        "raftring.eventual.replicas = 2",
        "raftring.eventual.hinted-handoff.interval = 100ms",
        "raftring.eventual.hinted-handoff.max-age = 60s",
        "raftring.eventual.anti-entropy.interval = 100ms",
        "raftring.eventual.tombstones.grace = 61s",
        "raftring.eventual.tombstones.sweep-interval = 100ms",
        "raftring.eventual.max-sibling-bytes = 64KiB",
        "raftring.test.fault-injection = on",
        "akka.remote.artery.advanced.test-mode = on",
        "akka.cluster.failure-detector.acceptable-heartbeat-pause = 1s",
        "akka.cluster.failure-detector.heartbeat-interval = 200ms"));
    cluster = LocalCluster.start(NODES, 1, config);
    awaitAllLive();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void healAndResume() throws Exception {
    for (String node : NODES) {
      if (cluster.isRunning(node)) {
        post(node, "/v1/test/heal", "");
        ev(node).resumeHandoff();
        ev(node).resumeAntiEntropy();
      }
    }
    // The failure detector lags a heal: the next test starts from nodes that see each other again.
    if (NODES.stream().allMatch(cluster::isRunning)) {
      awaitAllLive();
    }
  }

  // ---- the scenarios

  @Test
  void writesOnBothSidesOfAPartitionBecomeSiblingsThatAContextWriteResolves() throws Exception {
    String key = keyWithHomes("n1", "n2");
    // given n1 cut off from n2 and n3
    partition(List.of("n1"), List.of("n2", "n3"));
    // when each side writes the key with W=1
    await(ev("n1").put(key, bytes("left"), null, ReplicaCount.ONE, TIMEOUT));
    await(ev("n2").put(key, bytes("right"), null, ReplicaCount.ONE, TIMEOUT));
    // then after the heal both home replicas hold both writes as siblings
    heal();
    awaitTrue(() -> values(ev("n1").get(key, ReplicaCount.ALL, TIMEOUT)).equals(List.of("left", "right"))
        && replicasAgree(key));
    awaitAllLive();
    EventualRead read = await(ev("n3").get(key, ReplicaCount.ALL, TIMEOUT));
    assertThat(values(read)).containsExactly("left", "right");
    // and a write with the read's context supersedes both, everywhere
    await(ev("n3").put(key, bytes("merged"), read.context(), ReplicaCount.ONE, TIMEOUT));
    awaitTrue(() -> replicasAgree(key));
    assertThat(values(await(ev("n1").get(key, ReplicaCount.ONE, TIMEOUT)))).containsExactly("merged");
    assertThat(values(await(ev("n2").get(key, ReplicaCount.ONE, TIMEOUT)))).containsExactly("merged");
  }

  @Test
  void aStandInKeepsAWriteForAHomeReplicaThatIsDownAndHandsItOverWhenItReturns() throws Exception {
    String key = keyWithHomes("n1", "n3");
    pauseEverywhere(EventualKeyspace::pauseAntiEntropy);
    // given n3, a home replica of the key, stopped
    cluster.stopNode("n3");
    awaitTrue(() -> !ev("n1").status().live().contains("n3"));
    // when a write needs both replicas (W=2)
    EventualWrite write = await(ev("n1").put(key, bytes("while-away"), null, ReplicaCount.ALL, TIMEOUT));
    // then n2 stood in for n3 and keeps a hint for it
    assertThat(write.acknowledgedBy()).containsExactlyInAnyOrder("n1", "n2");
    assertThat(ev("n2").status().hints().byOwner()).containsKey("n3");
    // and once n3 is back, n2 hands the write over (anti-entropy is paused: only the hint can bring it)
    cluster.startNode("n3");
    awaitAllLive();
    ev("n3").pauseAntiEntropy();
    awaitTrue(() -> replicaHolds("n3", key, "while-away"));
    awaitTrue(() -> ev("n2").status().hints().count() == 0);
    assertThat(ev("n2").status().hints().replayed()).isPositive();
  }

  @Test
  void aReadRepairsAReplicaThatMissedAWrite() throws Exception {
    String key = keyWithHomes("n1", "n2");
    pauseEverywhere(k -> {
      k.pauseHandoff();
      k.pauseAntiEntropy();
    });
    // given a write n2 missed (it was cut off; handoff and anti-entropy are paused)
    partition(List.of("n2"), List.of("n1", "n3"));
    await(ev("n1").put(key, bytes("missed"), null, ReplicaCount.ONE, TIMEOUT));
    heal();
    awaitAllLive();
    assertThat(replicaHolds("n2", key, "missed")).isFalse();
    // when a read asks both replicas
    assertThat(values(await(ev("n3").get(key, ReplicaCount.ALL, TIMEOUT)))).containsExactly("missed");
    // then n2 was repaired before the answer (R = N)
    assertThat(replicaHolds("n2", key, "missed")).isTrue();
  }

  @Test
  void aWipedReplicaIsRebuiltByAntiEntropyAlone() throws Exception {
    pauseEverywhere(EventualKeyspace::pauseHandoff);
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add("rebuild-" + i);
      await(ev("n1").put("rebuild-" + i, bytes("v" + i), null, ReplicaCount.ALL, TIMEOUT));
    }
    cluster.stopNode("n2");
    cluster.wipe("n2");
    cluster.startNode("n2");
    awaitAllLive();
    ev("n2").pauseHandoff();
    awaitTrue(() -> keys.stream().filter(k -> RING.preferenceList(k).contains("n2")).allMatch(this::replicasAgree));
    for (String k : keys) {
      if (RING.preferenceList(k).contains("n2")) {
        assertThat(replicaHolds("n2", k, "v" + k.substring("rebuild-".length()))).as(k).isTrue();
      }
    }
  }

  @Test
  void aDeleteThatAReplicaMissedDoesNotComeBackFromIt() throws Exception {
    String key = keyWithHomes("n1", "n2");
    pauseEverywhere(EventualKeyspace::pauseHandoff);
    EventualRead before = await(ev("n1").get(key, ReplicaCount.ONE, TIMEOUT));
    await(ev("n1").put(key, bytes("doomed"), before.context(), ReplicaCount.ALL, TIMEOUT));
    // given n2 cut off while the key is deleted
    partition(List.of("n2"), List.of("n1", "n3"));
    EventualRead read = await(ev("n1").get(key, ReplicaCount.ONE, TIMEOUT));
    await(ev("n1").delete(key, read.context(), ReplicaCount.ONE, TIMEOUT));
    assertThat(replicaHolds("n2", key, "doomed")).isTrue();
    // when the partition heals, anti-entropy brings the tombstone to n2, not the value back to n1
    heal();
    awaitTrue(() -> replicasAgree(key));
    // (anti-entropy may finish before every node's failure detector sees the others again; R=all needs them to)
    awaitAllLive();
    for (String node : NODES) {
      EventualRead after = await(ev(node).get(key, ReplicaCount.ALL, TIMEOUT));
      assertThat(after.notFound()).as(node).isTrue();
      assertThat(after.live()).as(node).isEmpty();
    }
    assertThat(ev("n1").status().tombstones()).isPositive();
  }

  @Test
  void aNodeWithoutAReplicaPassesAWriteToOneOrStandsInWhenItCannotReachAny() throws Exception {
    String key = keyWithHomes("n1", "n2");
    // n3 holds no replica of the key: a home replica coordinates the write
    EventualWrite forwarded = await(ev("n3").put(key, bytes("via-home"), null, ReplicaCount.ALL, TIMEOUT));
    assertThat(forwarded.coordinator()).isIn("n1", "n2");
    assertThat(forwarded.acknowledgedBy()).containsExactlyInAnyOrder("n1", "n2");
    // cut off from both home replicas, n3 coordinates itself and keeps the write as a hint for one of them
    partition(List.of("n3"), List.of("n1", "n2"));
    awaitTrue(() -> ev("n3").status().live().equals(List.of("n3")));
    EventualRead read = await(ev("n3").get(key, ReplicaCount.ONE, TIMEOUT));
    EventualWrite alone = await(ev("n3").put(key, bytes("via-stand-in"), read.context(), ReplicaCount.ONE, TIMEOUT));
    assertThat(alone.coordinator()).isEqualTo("n3");
    assertThat(alone.acknowledgedBy()).containsExactly("n3");
    // once healed, the hint reaches its owner and anti-entropy the other replica
    heal();
    awaitTrue(() -> replicaHolds("n1", key, "via-stand-in") && replicaHolds("n2", key, "via-stand-in"));
  }

  @Test
  void siblingsMayNotGrowPastTheirBoundButAContextWriteStillReplacesThem() throws Exception {
    String key = keyWithHomes("n1", "n2");
    byte[] big = new byte[30 * 1024];
    VersionVector nothingSeen = VersionVector.EMPTY;
    await(ev("n1").put(key, big, nothingSeen, ReplicaCount.ALL, TIMEOUT));
    await(ev("n1").put(key, big, nothingSeen, ReplicaCount.ALL, TIMEOUT));
    assertThatThrownBy(() -> await(ev("n1").put(key, big, nothingSeen, ReplicaCount.ALL, TIMEOUT)))
        .satisfies(e -> assertThat(RaftRingException.find(e).code()).isEqualTo(ErrorCode.TOO_LARGE));
    EventualRead read = await(ev("n1").get(key, ReplicaCount.ALL, TIMEOUT));
    assertThat(read.live()).hasSize(2);
    await(ev("n1").put(key, big, read.context(), ReplicaCount.ALL, TIMEOUT));
    assertThat(await(ev("n2").get(key, ReplicaCount.ALL, TIMEOUT)).live()).hasSize(1);
  }

  @Test
  void tooFewReachableReplicasFailFastAndWriteNothing() throws Exception {
    String key = keyWithHomes("n1", "n2");
    partition(List.of("n1"), List.of("n2", "n3"));
    awaitTrue(() -> ev("n1").status().live().equals(List.of("n1")));
    assertThatThrownBy(() -> await(ev("n1").put(key, bytes("x"), null, ReplicaCount.ALL, TIMEOUT)))
        .satisfies(e -> assertThat(RaftRingException.find(e).code()).isEqualTo(ErrorCode.NO_QUORUM));
    assertThat(await(ev("n1").get(key, ReplicaCount.ONE, TIMEOUT)).value().siblings()).noneMatch(
        s -> "x".equals(new String(s.value() == null ? new byte[0] : s.value(), StandardCharsets.UTF_8)));
  }

  @Test
  void overHttpSiblingsAreAListOrTheNewestAndAContextHeaderResolvesThem() throws Exception {
    String path = "/v1/ev/" + keyWithHomes("n1", "n2").replace("-", "%2D");
    // a missing key: 404, with the empty context to write with
    HttpResponse<String> missing = send("n3", "GET", path, null, null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    String empty = missing.headers().firstValue(EventualRoutesHeaders.CONTEXT).orElseThrow();
    // two writes from that same context are concurrent: siblings
    assertThat(send("n1", "PUT", path + "?w=all", "one", empty, null).statusCode()).isEqualTo(200);
    HttpResponse<String> second = send("n1", "PUT", path + "?w=2", "two", empty, null);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains("\"acknowledged_by\"");
    HttpResponse<String> lww = send("n2", "GET", path + "?r=all", null, null, null);
    assertThat(lww.statusCode()).isEqualTo(200);
    assertThat(lww.body()).isEqualTo("two");
    assertThat(lww.headers().firstValue(EventualRoutesHeaders.SIBLINGS)).contains("2");
    HttpResponse<String> multiple = send("n2", "GET", path + "?resolve=siblings", null, null, null);
    assertThat(multiple.statusCode()).isEqualTo(300);
    assertThat(multiple.body()).contains("\"siblings\"").contains("\"newest\"");
    HttpResponse<String> json = send("n3", "GET", path, null, null, "application/json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains(java.util.Base64.getEncoder().encodeToString(bytes("one")));
    // a write with the read's context resolves them; a delete with the next one removes the key
    String context = json.headers().firstValue(EventualRoutesHeaders.CONTEXT).orElseThrow();
    HttpResponse<String> resolved = send("n3", "PUT", path + "?w=quorum", "three", context, null);
    assertThat(resolved.statusCode()).isEqualTo(200);
    HttpResponse<String> after = send("n1", "GET", path + "?r=all&resolve=siblings", null, null, null);
    assertThat(after.body()).isEqualTo("three");
    assertThat(send("n1", "DELETE", path, null, after.headers().firstValue(EventualRoutesHeaders.CONTEXT)
        .orElseThrow(), null).statusCode()).isEqualTo(200);
    HttpResponse<String> deleted = send("n2", "GET", path + "?r=all", null, null, null);
    assertThat(deleted.statusCode()).isEqualTo(404);
    assertThat(deleted.body()).contains("\"context\"");
    // where it lives
    HttpResponse<String> explain = send("n3", "GET", path + "?explain=true", null, null, null);
    assertThat(explain.body()).contains("\"preference_list\"").contains("\"role\":\"home\"");
    // bad input is refused before anything is done
    assertThat(send("n1", "PUT", path + "?w=4", "x", null, null).statusCode()).isEqualTo(400);
    assertThat(send("n1", "PUT", path + "?w=most", "x", null, null).statusCode()).isEqualTo(400);
    assertThat(send("n1", "PUT", path + "?W=1", "x", null, null).statusCode()).isEqualTo(400);
    assertThat(send("n1", "PUT", path, "x", "not*base64", null).statusCode()).isEqualTo(400);
    assertThat(send("n1", "GET", path + "?resolve=newest", null, null, null).statusCode()).isEqualTo(400);
    assertThat(send("n1", "PUT", "/v1/ev/" + "k".repeat(2000), "x", null, null).statusCode()).isEqualTo(413);
    // and the cluster view and metrics show the keyspace
    HttpResponse<String> status = send("n1", "GET", "/v1/cluster", null, null, null);
    assertThat(status.body()).contains("\"eventual\"").contains("\"anti_entropy\"").contains("\"hints\"");
    assertThat(send("n1", "GET", "/metrics", null, null, null).body())
        .contains("raftring_ev_writes_total{outcome=\"ok\"}").contains("raftring_ev_hints ");
  }

  /** The header names, as a client spells them. */
  private static final class EventualRoutesHeaders {
    static final String CONTEXT = io.raftring.http.EventualRoutes.CONTEXT;
    static final String SIBLINGS = io.raftring.http.EventualRoutes.SIBLINGS;
  }

  private static HttpResponse<String> send(String node, String method, String path, String body, String context,
      String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(node)
        + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    if (context != null) {
      request.header(EventualRoutesHeaders.CONTEXT, context);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- helpers

  private static EventualKeyspace ev(String node) {
    return cluster.node(node).raftRing().eventual();
  }

  private static void pauseEverywhere(java.util.function.Consumer<EventualKeyspace> pause) {
    for (String node : NODES) {
      if (cluster.isRunning(node)) {
        pause.accept(ev(node));
      }
    }
  }

  /** A key whose preference list is exactly these two nodes, in some order. */
  private static String keyWithHomes(String a, String b) {
    for (int i = 0; ; i++) {
      String key = "key-" + a + b + "-" + i + "-" + System.nanoTime();
      List<String> list = RING.preferenceList(key);
      if (list.contains(a) && list.contains(b)) {
        return key;
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(CompletionStage<EventualRead> read) {
    try {
      return values(await(read));
    } catch (RuntimeException e) {
      return List.of("<" + e + ">");
    }
  }

  private static List<String> values(EventualRead read) {
    return read.live().stream().map(s -> new String(s.value(), StandardCharsets.UTF_8)).sorted().toList();
  }

  /** Whether every home replica of the key holds the same value (asked through n1... or whichever node runs). */
  private boolean replicasAgree(String key) {
    EventualExplain explain = await(ev(anyRunning()).explain(key, EXPLAIN_TIMEOUT));
    List<EventualExplain.Replica> home = explain.replicas().stream().filter(r -> r.role().equals("home")).toList();
    return home.size() == RING.n() && home.stream().allMatch(r -> r.value() != null)
        && home.stream().map(r -> r.value()).distinct().count() == 1;
  }

  private static boolean replicaHolds(String node, String key, String value) {
    EventualExplain explain = await(ev(node).explain(key, EXPLAIN_TIMEOUT));
    return explain.replicas().stream().filter(r -> r.node().equals(node) && r.value() != null)
        .flatMap(r -> r.value().siblings().stream())
        .anyMatch(s -> s.value() != null && new String(s.value(), StandardCharsets.UTF_8).equals(value));
  }

  private static String anyRunning() {
    return NODES.stream().filter(cluster::isRunning).findFirst().orElseThrow();
  }

  private static void awaitAllLive() {
    awaitTrue(() -> NODES.stream().allMatch(n -> cluster.isRunning(n)
        && ev(n).status().live().containsAll(NODES)), () -> NODES.stream().filter(cluster::isRunning)
        .map(n -> n + " sees " + ev(n).status().live()).toList().toString());
  }

  private static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, () -> "");
  }

  /** Polls {@code condition} every 50 ms until it holds, failing after {@link #AWAIT} with {@code state}. */
  private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> state) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet: a node restarting, an ask timing out
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + AWAIT + " " + state.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  private static void partition(Collection<String> a, Collection<String> b) throws Exception {
    for (String x : a) {
      post(x, "/v1/test/partition", blackholeBody(b));
    }
    for (String y : b) {
      post(y, "/v1/test/partition", blackholeBody(a));
    }
  }

  private static void heal() throws Exception {
    for (String node : NODES) {
      if (cluster.isRunning(node)) {
        post(node, "/v1/test/heal", "");
      }
    }
  }

  private static String blackholeBody(Collection<String> peers) {
    return "{\"blackhole\":[" + String.join(",", peers.stream().map(p -> "\"" + Cluster.get(cluster.node(p).system())
        .selfMember().address() + "\"").toList()) + "]}";
  }

  private static void post(String node, String path, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + cluster.httpPort(node) + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
