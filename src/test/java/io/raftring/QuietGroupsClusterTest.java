package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ClusterStatus;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle groups go quiet on a real cluster (see {@code RaftCore.quiesced()}): every replica reports itself quiet once
 * nothing happens, a write or a lease read wakes the group and is served, and when the node leading a quiet group
 * leaves, the cluster's membership event wakes the followers, which elect a new leader.
 */
class QuietGroupsClusterTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static ActorTestKit kit;

  @BeforeAll
  static void startKit() {
    kit = ActorTestKit.create("quiet-probes", ConfigFactory.parseString("akka.actor.provider = local"));
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A put retried while no leader answers yet, as after the leader left. */
  private static WriteOutcome put(RaftRingNode via, String key, String value) {
    return LocalCluster.putRetrying(via, key, value, 10);
  }

  private static ClusterStatus.Group groupOf(RaftRingNode via, String group) {
    ClusterStatus status = await(via.raftRing().clusterStatus(TIMEOUT));
    return status.groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow();
  }

  private static void awaitQuiet(TestProbe<Object> probe, RaftRingNode via, String group, List<String> members) {
    probe.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      ClusterStatus.Group g = groupOf(via, group);
      assertThat(g.replicaStatus()).filteredOn(r -> members.contains(r.node()))
          .as("replicas of %s", group).hasSize(members.size())
          .allSatisfy(r -> assertThat(r.quiet()).as(r.node() + " " + r.role()).isTrue());
      return null;
    });
  }

  @Test
  void anIdleGroupGoesQuietWakesForWorkAndElectsANewLeaderWhenItsLeaderLeaves() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(NODES, 2)) {
      TestProbe<Object> probe = kit.createTestProbe();
      probe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
        for (String name : NODES) {
          assertThat(cluster.node(name).raftRing().notReadyReason()).as(name).isEmpty();
        }
        return null;
      });
      RaftRingNode n1 = cluster.node("n1");
      String group = put(n1, "quiet/key", "v1").group();
      awaitQuiet(probe, n1, group, NODES);

      // Work wakes the group: a write, then a lease read (the quiet leader's lease lapsed; it takes a round).
      WriteOutcome second = put(cluster.node("n2"), "quiet/key", "v2");
      assertThat(second.group()).isEqualTo(group);
      ReadOutcome read = await(cluster.node("n3").raftRing().kv().read(new KvQuery.Get("quiet/key"),
          ReadConsistency.LEASE, TIMEOUT));
      assertThat(((KvResult.Found) read.result()).keyValue().value()).isEqualTo(bytes("v2"));
      awaitQuiet(probe, n1, group, NODES);

      // The quiet group's leader leaves: the survivors hear of it from the cluster and elect another.
      String leader = groupOf(n1, group).leader();
      List<String> survivors = NODES.stream().filter(n -> !n.equals(leader)).toList();
      RaftRingNode via = cluster.node(survivors.get(0));
      long stopped = System.nanoTime();
      cluster.stopNode(leader);
      WriteOutcome after = put(via, "quiet/key", "v3");
      System.out.printf("quiet group %s: a write through %s %d ms after its leader %s left%n", group,
          survivors.get(0), (System.nanoTime() - stopped) / 1_000_000, leader);
      assertThat(after.result()).isInstanceOf(KvResult.Written.class);
      assertThat(groupOf(via, group).leader()).isIn(survivors);
    }
  }
}
