package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

/**
 * Three nodes in one JVM serving four Raft groups through the embedding Java API: any node serves any key, every
 * consistency level reads, a range over several groups pages in key order, compare-and-set races have one winner,
 * and bad input is refused before anything is proposed. (Node loss and quorum loss: {@link KvHttpClusterTest}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvServiceClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static LocalCluster cluster;
  private static ActorTestKit kit;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(List.of("n1", "n2", "n3"), 4);
    // The probes live in a system of their own, since the test stops cluster nodes.
    kit = ActorTestKit.create("probes", com.typesafe.config.ConfigFactory.parseString("akka.actor.provider = local"));
    awaitReady(List.of("n1", "n2", "n3"));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    kit.shutdownTestKit();
  }

  private static void awaitReady(List<String> names) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
      for (String name : names) {
        assertThat(cluster.node(name).raftRing().notReadyReason()).as(name).isEmpty();
      }
      return null;
    });
  }

  private static KvApi kv(String node) {
    return cluster.node(node).raftRing().kv();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(KvResult result) {
    return new String(((KvResult.Found) result).keyValue().value(), StandardCharsets.UTF_8);
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  @Order(1)
  void writesThroughAnyNodeAreReadableAtEveryLevelFromEveryNode() {
    for (int i = 0; i < 20; i++) {
      String via = cluster.names().get(i % 3);
      WriteOutcome w = await(kv(via).write(new KvCommand.Put("key-" + i, bytes("v" + i)), TIMEOUT));
      assertThat(w.result()).isInstanceOf(KvResult.Written.class);
    }
    for (String node : cluster.names()) {
      for (ReadConsistency level : List.of(ReadConsistency.LINEARIZABLE, ReadConsistency.LEASE)) {
        ReadOutcome r = await(kv(node).read(new KvQuery.Get("key-7"), level, TIMEOUT));
        assertThat(text(r.result())).isEqualTo("v7");
        assertThat(r.fromLeader()).isTrue();
      }
    }
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
      ReadOutcome stale = await(kv("n3").read(new KvQuery.Get("key-19"), ReadConsistency.STALE, TIMEOUT));
      assertThat(text(stale.result())).isEqualTo("v19");
      return null;
    });
  }

  @Test
  @Order(2)
  void aRangeAcrossGroupsComesBackInKeyOrderPageByPage() {
    for (int i = 0; i < 30; i++) {
      await(kv("n1").write(new KvCommand.Put(String.format("range/%02d", i), bytes("x")), TIMEOUT));
    }
    List<String> seen = new ArrayList<>();
    KvQuery.Range query = new KvQuery.Prefix("range/", 7);
    while (true) {
      KvResult.RangePage page = (KvResult.RangePage) await(
          kv("n2").read(query, ReadConsistency.LINEARIZABLE, TIMEOUT)).result();
      page.keyValues().forEach(kv -> seen.add(kv.key()));
      if (!page.more()) {
        break;
      }
      query = query.withPageToken(page.nextPageToken().orElseThrow());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      expected.add(String.format("range/%02d", i));
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  @Order(3)
  void ofTwoRacingCompareAndSetsExactlyOneWins() {
    WriteOutcome created = await(kv("n1").write(new KvCommand.Put("race", bytes("start")), TIMEOUT));
    long revision = ((KvResult.Written) created.result()).revision();
    for (int round = 0; round < 10; round++) {
      CompletableFuture<WriteOutcome> a = kv("n2").write(
          KvCommand.putIfModRevision("race", bytes("a" + round), revision), TIMEOUT).toCompletableFuture();
      CompletableFuture<WriteOutcome> b = kv("n3").write(
          KvCommand.putIfModRevision("race", bytes("b" + round), revision), TIMEOUT).toCompletableFuture();
      List<KvResult> results = List.of(await(a).result(), await(b).result());
      assertThat(results).filteredOn(r -> r instanceof KvResult.Written).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof KvResult.Conflict).hasSize(1);
      revision = results.stream().filter(r -> r instanceof KvResult.Written)
          .mapToLong(r -> ((KvResult.Written) r).revision()).findFirst().orElseThrow();
    }
  }

  @Test
  @Order(4)
  void badInputIsRefusedBeforeAnythingIsProposed() {
    assertThatThrownBy(() -> await(kv("n1").write(new KvCommand.Put("k".repeat(2000), bytes("v")), TIMEOUT)))
        .satisfies(e -> assertThat(RaftRingException.find(e).code()).isEqualTo(ErrorCode.TOO_LARGE));
  }
}
