package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ClusterStatus;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.cluster.GroupConfigurations;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import io.raftring.ring.GroupPlacement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The placement driver grows a cluster of 16 groups (R = 3) from three nodes to five and, after both new nodes are
 * decommissioned over HTTP, shrinks it back to three, while three clients write all along. Afterwards every
 * acknowledged write is readable, every group's voters are exactly the ring's preference list over the nodes in
 * place, each node runs exactly the replicas it hosts, the decommissioned nodes left the cluster, leaders are spread,
 * and no group ever had two leaders in one term (every replica's role, sampled through the whole run, is checked).
 */
class PlacementDriverClusterTest {

  private static final int GROUPS = 16;
  private static final int REPLICAS = 3;
  private static final List<String> INITIAL = List.of("n1", "n2", "n3");
  private static final Config FAST_DRIVER = ConfigFactory.parseString(String.join("\n",
      "raftring.placement.interval = 200ms",
      "raftring.placement.max-concurrent-moves = 4",
      "raftring.placement.step-timeout = 10s"));

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void groupsFollowTheRingFromThreeToFiveNodesAndBackUnderContinuousWrites() throws Exception {
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start(INITIAL, GROUPS, FAST_DRIVER)) {
      TestProbe<Object> probe = kit.createTestProbe();
      awaitReady(probe, cluster, INITIAL);

      ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicInteger unknown = new AtomicInteger();
      for (int c = 0; c < 3; c++) {
        String via = INITIAL.get(c);
        String client = "c" + c;
        threads.add(start(() -> write(cluster.node(via), client, running, acknowledged, unknown)));
      }
      Map<String, Set<String>> leadersByGroupAndTerm = new ConcurrentHashMap<>();
      threads.add(start(() -> recordLeaders(cluster, running, leadersByGroupAndTerm)));

      // Grow: two nodes join that are not in the initial list; groups whose preference list names them move.
      cluster.startNode("n4");
      cluster.startNode("n5");
      List<String> five = List.of("n1", "n2", "n3", "n4", "n5");
      GroupPlacement ringOfFive = GroupPlacement.of(GROUPS, REPLICAS, 128, five);
      awaitPlacement(probe, cluster, ringOfFive, five, Duration.ofSeconds(120));
      int moved = movedReplicas(GroupPlacement.of(GROUPS, REPLICAS, 128, INITIAL), ringOfFive);
      System.out.printf("3 -> 5 nodes, G = %d: %d replicas moved (ideal R*G*2/5 = %.1f), %d writes acknowledged%n",
          GROUPS, moved, REPLICAS * GROUPS * 2 / 5.0, acknowledged.size());

      // Impossible requests are refused and change nothing.
      assertThat(post(cluster, "n1", "/v1/cluster/nodes/n9/decommission").statusCode()).isEqualTo(400);

      // Shrink: decommission both new nodes over HTTP; their replicas move back and they leave.
      for (String node : List.of("n4", "n5")) {
        HttpResponse<String> accepted = post(cluster, "n2", "/v1/cluster/nodes/" + node + "/decommission");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("\"decommissioned\"").contains("\"" + node + "\"");
      }
      HttpResponse<String> tooFew = post(cluster, "n1", "/v1/cluster/nodes/n3/decommission");
      assertThat(tooFew.statusCode()).as(tooFew.body()).isEqualTo(409);
      assertThat(tooFew.body()).contains("CONFLICT");

      GroupPlacement ringOfThree = GroupPlacement.of(GROUPS, REPLICAS, 128, INITIAL);
      awaitPlacement(probe, cluster, ringOfThree, INITIAL, Duration.ofSeconds(120));
      probe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
        assertThat(cluster.isRunning("n4")).as("n4 left and stopped").isFalse();
        assertThat(cluster.isRunning("n5")).as("n5 left and stopped").isFalse();
        return null;
      });
      HttpResponse<String> placement = get(cluster, "n1", "/v1/cluster/placement");
      System.out.println("placement after 5 -> 3: " + placement.body());
      assertThat(placement.statusCode()).isEqualTo(200);
      // The driver's node counts its steps for /metrics.
      String driverNode = new com.fasterxml.jackson.databind.ObjectMapper().readTree(placement.body())
          .get("driver_node").asText();
      String metrics = cluster.node(driverNode).raftRing().metrics().scrape();
      assertThat(metrics).contains("raftring_placement_groups_off_target 0")
          .containsPattern("raftring_placement_steps_total\\{action=\"ADD_LEARNER\",outcome=\"done\"\\} [1-9]");

      // Leaders spread: with three nodes each voting in every group, none leads more than its share.
      int fair = (GROUPS + INITIAL.size() - 1) / INITIAL.size();
      probe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
        Map<String, Integer> leads = leadersPerNode(cluster.node("n1"));
        assertThat(leads.values()).as("leaders per node %s", leads).allMatch(n -> n <= fair);
        return null;
      });

      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertEveryAcknowledgedWriteIsReadable(cluster.node("n1"), List.copyOf(acknowledged));
      System.out.printf("writes acknowledged %d, outcome unknown %d; (group, term) pairs with a leader: %d%n",
          acknowledged.size(), unknown.get(), leadersByGroupAndTerm.size());
      assertThat(acknowledged).hasSizeGreaterThan(50);
      leadersByGroupAndTerm.forEach((groupAndTerm, leaders) ->
          assertThat(leaders).as("leaders of %s", groupAndTerm).hasSize(1));
    } finally {
      running.set(false);
      kit.shutdownTestKit();
    }
  }

  /**
   * A node that stays down longer than {@code replace-after} counts as failed: every group it held gets a new replica
   * on a surviving node (learner, promotion, then the dead voter removed), while writes go on.
   */
  @Test
  void theReplicasOfANodeDownLongerThanTheReplacementDelayAreReplacedOnTheOthers() throws Exception {
    List<String> four = List.of("n1", "n2", "n3", "n4");
    Config config = ConfigFactory.parseString("raftring.placement.replace-after = 3s").withFallback(FAST_DRIVER);
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    AtomicBoolean running = new AtomicBoolean(true);
    try (LocalCluster cluster = LocalCluster.start(four, 8, config)) {
      TestProbe<Object> probe = kit.createTestProbe();
      awaitReady(probe, cluster, four);
      ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
      Thread writer = start(() -> write(cluster.node("n1"), "c", running, acknowledged, new AtomicInteger()));

      cluster.stopNode("n4");
      List<String> survivors = List.of("n1", "n2", "n3");
      awaitPlacement(probe, cluster, GroupPlacement.of(8, REPLICAS, 128, survivors), survivors,
          Duration.ofSeconds(90));
      HttpResponse<String> placement = get(cluster, "n1", "/v1/cluster/placement");
      System.out.println("placement after n4 failed: " + placement.body());
      assertThat(placement.body()).contains("\"n4\"").contains("\"placement_nodes\":[\"n1\",\"n2\",\"n3\"]");

      running.set(false);
      writer.join(30_000);
      assertEveryAcknowledgedWriteIsReadable(cluster.node("n2"), List.copyOf(acknowledged));
      assertThat(acknowledged).isNotEmpty();
    } finally {
      running.set(false);
      kit.shutdownTestKit();
    }
  }

  /**
   * After groups moved onto a node that was not in the initial list, the whole cluster restarts: each node starts
   * the replicas whose logs are on its disk, every group elects a leader in the configuration it had, replicas the
   * groups had removed are retired again, and every acknowledged write is still there.
   */
  @Test
  void aClusterWhoseGroupsMovedComesBackWholeAfterEveryNodeRestarts() throws Exception {
    List<String> four = List.of("n1", "n2", "n3", "n4");
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    try (LocalCluster cluster = LocalCluster.start(INITIAL, 8, FAST_DRIVER)) {
      TestProbe<Object> probe = kit.createTestProbe();
      awaitReady(probe, cluster, INITIAL);
      cluster.startNode("n4");
      GroupPlacement ringOfFour = GroupPlacement.of(8, REPLICAS, 128, four);
      awaitPlacement(probe, cluster, ringOfFour, four, Duration.ofSeconds(90));
      List<String> written = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String key = "before-restart/" + i;
        WriteOutcome w = cluster.node(four.get(i % 4)).raftRing().kv()
            .write(new KvCommand.Put(key, key.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(w.result()).isInstanceOf(KvResult.Written.class);
        written.add(key);
      }

      for (String node : four) {
        cluster.stopNode(node);
      }
      for (String node : four) {
        cluster.startNode(node);
      }
      awaitReady(probe, cluster, four);
      awaitPlacement(probe, cluster, ringOfFour, four, Duration.ofSeconds(90));
      assertEveryAcknowledgedWriteIsReadable(cluster.node("n4"), written);
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static Thread start(Runnable body) {
    Thread thread = new Thread(body);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Writes fresh keys one at a time; only writes answered as applied count as acknowledged. */
  private static void write(RaftRingNode via, String client, AtomicBoolean running,
      ConcurrentLinkedQueue<String> acknowledged, AtomicInteger unknown) {
    for (int i = 0; running.get() && i < 100_000; i++) {
      String key = "w/" + client + "/" + i;
      try {
        WriteOutcome outcome = via.raftRing().kv()
            .write(new KvCommand.Put(key, key.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (outcome.result() instanceof KvResult.Written) {
          acknowledged.add(key);
        }
      } catch (Exception e) {
        RaftRingException r = RaftRingException.find(e);
        if (r == null || r.code() == ErrorCode.TIMEOUT) {
          unknown.incrementAndGet();
        }
      }
    }
  }

  /** Samples every running node's view of every replica's role, recording who led each group in each term. */
  private static void recordLeaders(LocalCluster cluster, AtomicBoolean running, Map<String, Set<String>> leaders) {
    for (int round = 0; running.get() && round < 100_000; round++) {
      List<RaftRingNode> nodes = cluster.runningNodes();
      RaftRingNode node = nodes.get(round % nodes.size());
      try {
        ClusterStatus status = node.raftRing().clusterStatus(Duration.ofSeconds(1))
            .toCompletableFuture().get(3, TimeUnit.SECONDS);
        for (ClusterStatus.Group group : status.groups()) {
          for (ClusterStatus.Replica replica : group.replicaStatus()) {
            if (replica.role().equals("leader")) {
              leaders.computeIfAbsent(group.group() + " term " + replica.term(), k -> ConcurrentHashMap.newKeySet())
                  .add(replica.node());
            }
          }
        }
      } catch (Exception e) {
        // A node that is leaving or busy may not answer; the next round asks another.
      }
    }
  }

  private static void awaitReady(TestProbe<Object> probe, LocalCluster cluster, List<String> names) {
    probe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
      for (String name : names) {
        assertThat(cluster.node(name).raftRing().notReadyReason()).as(name).isEmpty();
      }
      return null;
    });
  }

  /**
   * Waits until every group's leader reports the ring's preference list as its voters, with no learner and no
   * change in flight, and each node of {@code nodes} runs exactly the replicas the ring gives it.
   */
  private static void awaitPlacement(TestProbe<Object> probe, LocalCluster cluster, GroupPlacement ring,
      List<String> nodes, Duration within) {
    probe.awaitAssert(within, Duration.ofMillis(500), () -> {
      GroupConfigurations configurations = cluster.node("n1").raftRing().configurations();
      Map<String, String> wrong = new TreeMap<>();
      for (String group : ring.groups()) {
        GroupConfigurations.View view = configurations.view(group);
        Set<String> target = new TreeSet<>(ring.replicasOf(group));
        if (view == null || !view.voters().equals(target) || !view.learners().isEmpty() || view.changeInProgress()) {
          wrong.put(group, view == null ? "unknown" : view.voters() + " learners " + view.learners());
        }
      }
      assertThat(wrong).as("groups not yet on their preference list").isEmpty();
      for (String node : nodes) {
        Set<String> expected = new HashSet<>();
        for (String group : ring.groups()) {
          if (ring.replicasOf(group).contains(node)) {
            expected.add(group + "@" + node);
          }
        }
        assertThat(MultiRaftClusterTest.entitiesOn(cluster.node(node))).as("replicas running on %s", node)
            .isEqualTo(expected);
      }
      return null;
    });
  }

  private static int movedReplicas(GroupPlacement before, GroupPlacement after) {
    int moved = 0;
    for (String group : before.groups()) {
      Set<String> added = new HashSet<>(after.replicasOf(group));
      added.removeAll(before.replicasOf(group));
      moved += added.size();
    }
    return moved;
  }

  private static Map<String, Integer> leadersPerNode(RaftRingNode node) throws Exception {
    ClusterStatus status = node.raftRing().clusterStatus(Duration.ofSeconds(2))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    Map<String, Integer> leads = new TreeMap<>();
    for (ClusterStatus.Group group : status.groups()) {
      assertThat(group.leader()).as("leader of %s", group.group()).isNotNull();
      leads.merge(group.leader(), 1, Integer::sum);
    }
    return leads;
  }

  private static void assertEveryAcknowledgedWriteIsReadable(RaftRingNode via, List<String> keys) {
    for (int from = 0; from < keys.size(); from += 64) {
      List<CompletableFuture<ReadOutcome>> reads = new ArrayList<>();
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + 64));
      for (String key : batch) {
        reads.add(via.raftRing().kv().read(new KvQuery.Get(key), ReadConsistency.LINEARIZABLE, Duration.ofSeconds(10))
            .toCompletableFuture());
      }
      for (int i = 0; i < batch.size(); i++) {
        ReadOutcome read = reads.get(i).orTimeout(15, TimeUnit.SECONDS).join();
        assertThat(read.result()).as("acknowledged write of %s", batch.get(i)).isInstanceOf(KvResult.Found.class);
        assertThat(((KvResult.Found) read.result()).keyValue().value())
            .isEqualTo(batch.get(i).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private HttpResponse<String> post(LocalCluster cluster, String node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(node) + path))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(LocalCluster cluster, String node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(node) + path))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
