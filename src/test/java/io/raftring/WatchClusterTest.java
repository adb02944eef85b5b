package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ClusterStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Four nodes, four groups, three replicas each, so every node lacks one group and watches some group from another
 * node. A watcher of a prefix spanning every group, through HTTP as a user would, must see each acknowledged write
 * exactly once, in each key's commit order, while the node its events came from for one group dies (a leader change
 * too) and while it reconnects through another node with its last position. Many watches sharing one stream (a POST)
 * must each see every change of their own keys exactly once, in commit order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchClusterTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3", "n4");
  private static LocalCluster cluster;
  private static ActorTestKit kit;
  private static ClusterHttp http;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(NODES, 4, ConfigFactory.parseString(
        // Leaders stay where elections put them, so that the test knows which node serves which group's events.
        "raftring.placement.balance-leaders = off\nraftring.watch.progress-interval = 1s"));
    kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    http = new ClusterHttp(cluster);
    http.awaitReady(kit, NODES, Duration.ofSeconds(40));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    kit.shutdownTestKit();
  }

  private static HttpResponse<String> send(String node, String method, String path, String body) {
    return http.call(node, method, path, body);
  }

  /** Acknowledged writes as "key@mod_revision"; writes of unknown outcome kept apart. */
  private final Set<String> acknowledged = new HashSet<>();
  private final Set<String> unknown = new HashSet<>();

  private void writeBatch(List<String> through, int from, int count) {
    writeBatch("w/", 24, through, from, count);
  }

  /** Writes {@code count} values to keys {@code prefix + (i % keys)}, {@code through} the nodes in turn. */
  private void writeBatch(String prefix, int keys, List<String> through, int from, int count) {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String key = prefix + (i % keys);
      String node = through.get(i % through.size());
      String value = "v" + i;
      writes.add(CompletableFuture.runAsync(() -> {
        HttpResponse<String> put = send(node, "PUT", "/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
            + "?timeout=5s", value);
        synchronized (acknowledged) {
          if (put.statusCode() == 200) {
            acknowledged.add(key + "@" + put.headers().firstValue("X-RaftRing-Mod-Revision").orElseThrow()
                + "@" + put.headers().firstValue("X-RaftRing-Group").orElseThrow());
          } else {
            assertThat(put.statusCode()).as(put.body()).isIn(503, 504);
            unknown.add(key);
          }
        }
      }));
      if (writes.size() >= 8) {
        writes.remove(0).join();
      }
    }
    writes.forEach(CompletableFuture::join);
  }

  private static URI watchUri(String node, String position) {
    return http.uri(node, "/v1/watch?prefix=w%2F" + (position == null ? "" : "&position=" + position));
  }

  @Test
  @Order(1) // before the other test stops a node: this one writes through every node but the watcher's
  void manyWatchesOnOneStreamEachSeeEveryChangeOfTheirOwnKeysOnceInCommitOrder() throws Exception {
    int keys = 12;
    StringBuilder body = new StringBuilder("{\"watches\":[");
    for (int i = 0; i < keys; i++) {
      body.append("{\"key\":\"m/").append(i).append("\"},");
    }
    body.append("{\"prefix\":\"m/\"}]}");
    int prefixWatch = keys;
    NdjsonStream watch = NdjsonStream.post(http.http, http.uri("n1", "/v1/watch"), body.toString());
    assertThat(watch.status).as(String.valueOf(watch.errorBody)).isEqualTo(200);
    Set<Integer> created = new HashSet<>();
    while (created.size() < keys + 1) {
      JsonNode line = watch.next(Duration.ofSeconds(10));
      assertThat(line).as("a created line for every watch").isNotNull();
      assertThat(line.get("type").asText()).as(line.toString()).isEqualTo("created");
      created.add(line.get("watch").asInt());
    }

    writeBatch("m/", keys, List.of("n2", "n3", "n4"), 0, 96);
    assertThat(acknowledged).as("writes were acknowledged, so there is something to see").isNotEmpty();
    Map<Integer, List<String>> byWatch = new LinkedHashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && (byWatch.getOrDefault(prefixWatch, List.of()).size() < acknowledged.size()
        || byWatch.entrySet().stream().filter(e -> e.getKey() != prefixWatch)
            .mapToInt(e -> e.getValue().size()).sum() < acknowledged.size())) {
      JsonNode line = watch.next(Duration.ofMillis(500));
      if (line == null || line.get("type").asText().equals("progress")) {
        continue;
      }
      assertThat(line.get("type").asText()).as(line.toString()).isEqualTo("put");
      byWatch.computeIfAbsent(line.get("watch").asInt(), w -> new ArrayList<>()).add(
          line.get("key").asText() + "@" + line.get("mod_revision").asLong() + "@" + line.get("group").asText());
    }
    watch.close();

    List<String> throughKeyWatches = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      List<String> events = byWatch.getOrDefault(i, List.of());
      String key = "m/" + i;
      assertThat(events).as("watch %d sees only its key", i).allMatch(e -> e.startsWith(key + "@"));
      assertInCommitOrderOnce(events);
      throughKeyWatches.addAll(events);
    }
    assertThat(throughKeyWatches).as("every acknowledged write, through the key watches").containsAll(acknowledged);
    assertThat(throughKeyWatches.size() - acknowledged.size()).isLessThanOrEqualTo(unknown.size());
    List<String> throughPrefix = byWatch.get(prefixWatch);
    assertInCommitOrderOnce(throughPrefix);
    assertThat(throughPrefix).as("every acknowledged write, through the prefix watch").containsAll(acknowledged);
    assertThat(throughPrefix.size() - acknowledged.size()).isLessThanOrEqualTo(unknown.size());
  }

  /** No event twice, and each key's events in its commit order. */
  private static void assertInCommitOrderOnce(List<String> events) {
    assertThat(events).as("no event twice").doesNotHaveDuplicates();
    Map<String, Long> lastOfKey = new LinkedHashMap<>();
    for (String event : events) {
      String[] parts = event.split("@");
      Long previous = lastOfKey.put(parts[0], Long.parseLong(parts[1]));
      assertThat(previous == null || previous < Long.parseLong(parts[1])).as(event).isTrue();
    }
  }

  @Test
  @Order(2)
  void aPrefixWatcherSeesEveryCommittedChangeOnceAcrossTheLossOfItsSourceAndAReconnect() throws Exception {
    String watcherNode = "n1";
    // A group n1 holds no replica of: its events come from another node, the leader n1 knows first.
    ClusterStatus status = cluster.node("n1").raftRing().clusterStatus(Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    ClusterStatus.Group remote = status.groups().stream()
        .filter(g -> !g.replicas().contains(watcherNode) && g.leader() != null).findFirst().orElseThrow();

    List<JsonNode> seen = new ArrayList<>();
    NdjsonStream watch = NdjsonStream.open(http.http, watchUri(watcherNode, null));
    assertThat(watch.status).as(String.valueOf(watch.errorBody)).isEqualTo(200);
    JsonNode created = watch.next(Duration.ofSeconds(10));
    assertThat(created.get("type").asText()).isEqualTo("created");

    writeBatch(List.of("n2", "n3", "n4"), 0, 60);
    drainUntil(watch, seen, 60, Duration.ofSeconds(20));

    // The node serving that group's events (its leader) dies: the watch carries on from another replica unnoticed.
    String source = remote.leader();
    cluster.stopNode(source);
    List<String> alive = NODES.stream().filter(n -> !n.equals(source) && !n.equals(watcherNode)).toList();
    writeBatch(alive, 60, 60);
    drainUntil(watch, seen, acknowledged.size(), Duration.ofSeconds(30));

    // The client drops the connection and comes back through another node with the last position it read.
    watch.close();
    String lastPosition = lastPositionOf(seen);
    writeBatch(alive, 120, 40);
    NdjsonStream resumed = NdjsonStream.open(http.http, watchUri(alive.get(0), lastPosition));
    assertThat(resumed.status).as(String.valueOf(resumed.errorBody)).isEqualTo(200);
    assertThat(resumed.next(Duration.ofSeconds(10)).get("type").asText()).isEqualTo("created");
    writeBatch(alive, 160, 40);
    drainUntil(resumed, seen, acknowledged.size(), Duration.ofSeconds(30));
    resumed.close();

    List<String> events = seen.stream()
        .filter(line -> line.get("type").asText().equals("put"))
        .map(line -> line.get("key").asText() + "@" + line.get("mod_revision").asLong() + "@"
            + line.get("group").asText())
        .toList();
    assertInCommitOrderOnce(events);
    assertThat(events).as("every acknowledged write").containsAll(acknowledged);
    assertThat(events.size() - acknowledged.size()).as("only writes of unknown outcome besides")
        .isLessThanOrEqualTo(unknown.size());
  }

  private static String lastPositionOf(List<JsonNode> seen) {
    return seen.get(seen.size() - 1).get("position").asText();
  }

  /** Reads lines into {@code seen} until it holds {@code puts} put events or the time is up. */
  private static void drainUntil(NdjsonStream watch, List<JsonNode> seen, int puts, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (seen.stream().filter(l -> l.get("type").asText().equals("put")).count() < puts
        && System.nanoTime() < deadline) {
      JsonNode line = watch.next(Duration.ofMillis(500));
      if (line == null) {
        continue;
      }
      assertThat(line.get("type").asText()).as(line.toString()).isNotIn("closed", "end-of-stream");
      seen.add(line);
    }
  }
}
