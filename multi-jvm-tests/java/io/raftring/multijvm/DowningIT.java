package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.multijvm.NodeCluster.Node;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Downing with Akka's Split Brain Resolver (keep-majority): the node that hosts the shard coordinator and the placement
 * driver (both singletons run on the oldest member) is SIGKILLed and never restarted. SBR downs it once it has been
 * unreachable for {@code stable-after}; the singletons move to the next oldest node; after
 * {@code raftring.placement.replace-after} the driver replaces every replica the dead node held, so each group is
 * again three voters, all on the survivors. Writes go to every group the whole time and must keep succeeding.
 *
 * <p>Four nodes, replication factor 3, eight groups; SBR's {@code stable-after} and {@code replace-after} are cut to
 * seconds so the scenario fits in well under a minute (production defaults: 20 s and 10 min).
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class DowningIT {

  private static final int NODES = 4;
  private static final int GROUPS = 8;
  private static final List<String> SETTINGS = List.of(
      "akka.cluster.split-brain-resolver.stable-after = 3s",
      "raftring.placement.replace-after = 2s");
  /** Longest a group may go without an acknowledged write after the kill (failover and the coordinator's move). */
  private static final Duration MAX_WRITE_GAP = Duration.ofSeconds(10);
  private static final Duration HEAL_WITHIN = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void theNodeHostingTheSingletonsDiesForGoodAndEveryGroupKeepsWritingAndHealsOnTheSurvivors() throws Exception {
    try (NodeCluster cluster = new NodeCluster("downing", NODES, GROUPS, SETTINGS)) {
      cluster.startAll(Duration.ofSeconds(120));
      KvClient client = new KvClient(cluster, Duration.ofSeconds(2));
      Map<String, String> keyOfGroup = oneKeyPerGroup(cluster);

      // Given a settled cluster whose every group takes writes,
      awaitCondition("every group in place", Duration.ofSeconds(60), () -> groupsOffTarget(cluster) == 0);
      Node victim = cluster.node(driverNode(cluster).orElseThrow());
      List<Node> survivors = cluster.nodes().stream().filter(n -> n != victim).toList();
      for (String key : keyOfGroup.values()) {
        writeUntilAcknowledged(client, survivors, key, "before", Duration.ofSeconds(20));
      }

      // when the node running the coordinator and the placement driver is killed and never comes back,
      long killedAt = System.nanoTime();
      cluster.kill(victim);
      Map<String, Long> lastOkNanos = new HashMap<>();
      keyOfGroup.keySet().forEach(g -> lastOkNanos.put(g, killedAt));
      Map<String, Long> longestGapNanos = new HashMap<>();
      long downedAt = -1;
      long healedAt = -1;
      int round = 0;
      while (healedAt < 0) {
        assertThat(System.nanoTime() - killedAt).as("healed within %s", HEAL_WITHIN).isLessThan(HEAL_WITHIN.toNanos());
        round++;
        for (Map.Entry<String, String> e : keyOfGroup.entrySet()) {
          Node via = survivors.get(ThreadLocalRandom.current().nextInt(survivors.size()));
          String value = "r" + round;
          KvClient.Result r = client.put(via, e.getValue(), value);
          long now = System.nanoTime();
          if (r.kind() == KvClient.Kind.OK) {
            longestGapNanos.merge(e.getKey(), now - lastOkNanos.get(e.getKey()), Math::max);
            lastOkNanos.put(e.getKey(), now);
          }
        }
        if (downedAt < 0 && survivors.stream().allMatch(n -> !members(cluster, n).contains(victim.name))
            && !members(cluster, survivors.get(0)).isEmpty()) {
          downedAt = System.nanoTime();
        }
        if (downedAt > 0 && fullyReplicatedOn(cluster, survivors.get(0), survivors)) {
          healedAt = System.nanoTime();
        }
      }

      // then every group took writes throughout, each is again three voters on the survivors, and a last write to
      // each group is read back from it
      long now = System.nanoTime();
      keyOfGroup.keySet().forEach(g -> longestGapNanos.merge(g, now - lastOkNanos.get(g), Math::max));
      String summary = String.format(Locale.ROOT,
          "killed %s (coordinator and placement driver); downed by SBR after %.1f s; every group three voters on %s "
              + "after %.1f s; longest write gap per group (ms): %s",
          victim, seconds(downedAt - killedAt), survivors, seconds(healedAt - killedAt), millis(longestGapNanos));
      System.out.println(summary);
      assertThat(longestGapNanos.values()).as(summary).allMatch(gap -> gap < MAX_WRITE_GAP.toNanos());

      for (Map.Entry<String, String> e : keyOfGroup.entrySet()) {
        writeUntilAcknowledged(client, survivors, e.getValue(), "after", Duration.ofSeconds(20));
        KvClient.Result read = client.read(survivors.get(0), e.getValue(), "linearizable");
        assertThat(read.kind()).as("read %s: %s", e.getValue(), read).isEqualTo(KvClient.Kind.OK);
        assertThat(read.value()).as("%s of group %s", e.getValue(), e.getKey()).isEqualTo("after");
      }
    }
  }

  /** A key in each group, found by the ring the nodes use. */
  private static Map<String, String> oneKeyPerGroup(NodeCluster cluster) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; keys.size() < cluster.groups(); i++) {
      String key = "downing-" + i;
      keys.putIfAbsent(cluster.placement().groupOf(key), key);
    }
    return keys;
  }

  private static void writeUntilAcknowledged(KvClient client, List<Node> via, String key, String value,
      Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    for (int attempt = 0; ; attempt++) {
      KvClient.Result r = client.put(via.get(attempt % via.size()), key, value);
      if (r.kind() == KvClient.Kind.OK) {
        return;
      }
      assertThat(System.nanoTime()).as("%s acknowledged within %s; last answer %s", key, within, r)
          .isLessThan(deadline);
      NodeCluster.sleep(Duration.ofMillis(200));
    }
  }

  private static Optional<String> driverNode(NodeCluster cluster) {
    for (Node node : cluster.responsiveNodes()) {
      JsonNode placement = getJson(cluster, node, "/v1/cluster/placement");
      if (placement != null && placement.hasNonNull("driver_node")) {
        return Optional.of(placement.get("driver_node").asText());
      }
    }
    return Optional.empty();
  }

  private static int groupsOffTarget(NodeCluster cluster) {
    for (Node node : cluster.responsiveNodes()) {
      JsonNode placement = getJson(cluster, node, "/v1/cluster/placement");
      if (placement != null && placement.has("groups_off_target")) {
        return placement.get("groups_off_target").asInt();
      }
    }
    return -1;
  }

  /** The members {@code node} sees up; empty if it did not answer. */
  private static Set<String> members(NodeCluster cluster, Node node) {
    Set<String> members = new TreeSet<>();
    JsonNode status = getJson(cluster, node, "/v1/cluster");
    if (status != null) {
      status.get("members").forEach(m -> members.add(m.asText()));
    }
    return members;
  }

  /** Whether {@code asked} reports every group as three voters, all in {@code nodes}, with no change pending. */
  private static boolean fullyReplicatedOn(NodeCluster cluster, Node asked, List<Node> nodes) {
    JsonNode status = getJson(cluster, asked, "/v1/cluster");
    if (status == null) {
      return false;
    }
    Set<String> names = new TreeSet<>();
    nodes.forEach(n -> names.add(n.name));
    for (JsonNode group : status.get("groups")) {
      Set<String> voters = new TreeSet<>();
      group.get("voters").forEach(v -> voters.add(v.asText()));
      if (voters.size() != 3 || !names.containsAll(voters) || group.get("learners").size() > 0
          || group.get("change_in_progress").asBoolean()) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode getJson(NodeCluster cluster, Node node, String path) {
    Optional<HttpResponse<String>> r = cluster.get(node, path, Duration.ofSeconds(3));
    if (r.isEmpty() || r.get().statusCode() != 200) {
      return null;
    }
    try {
      return JSON.readTree(r.get().body());
    } catch (IOException e) {
      return null;
    }
  }

  private static void awaitCondition(String what, Duration within, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, within).isLessThan(deadline);
      NodeCluster.sleep(Duration.ofMillis(250));
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static Map<String, Long> millis(Map<String, Long> nanos) {
    Map<String, Long> out = new java.util.TreeMap<>();
    nanos.forEach((k, v) -> out.put(k, v / 1_000_000));
    return out;
  }
}
