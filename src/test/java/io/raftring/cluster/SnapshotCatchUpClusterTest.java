package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvStateMachine;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.RoleName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Section 7 end to end: three ActorSystems host one group of KV replicas on RocksDB in temporary directories. A
 * follower is stopped while 10,000 writes are applied and compacted (a snapshot every 1,000 entries), so when it
 * comes back the entries it lacks exist only in the leader's snapshot: it catches up by InstallSnapshot (in 4 KiB
 * chunks) and ends with exactly the leader's keys, values and revisions.
 */
class SnapshotCatchUpClusterTest {

  private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
  private static final Duration AWAIT = Duration.ofSeconds(45);
  private static final int WRITES = 10_000;
  private static final int KEYS = 500;
  private static final RaftSettings SETTINGS =
      RaftSettings.defaults().withSnapshotThresholds(1_000, 64L << 20).withSnapshotChunks(4096, 4);

  private static final class Node {
    final String name;
    final Path dataDir;
    ActorSystem<Void> system;
    ActorRef<RaftReplica.Command> replica;
    volatile KvStateMachine machine;

    Node(String name, Path dataDir) {
      this.name = name;
      this.dataDir = dataDir;
    }
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private ActorTestKit kit;

  private static Config nodeConfig(Path dataDir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.actor.provider = cluster",
            "akka.remote.artery.canonical.hostname = 127.0.0.1",
            "akka.remote.artery.canonical.port = 0",
            "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "akka.persistence.journal.plugin = raftring.storage.journal",
            "akka.persistence.snapshot-store.plugin = raftring.storage.snapshot-store",
            "raftring.storage.dir = \"" + dataDir.toString().replace("\\", "/") + "\""))
        .withFallback(ConfigFactory.load());
  }

  private Node start(String name, Path dataDir, Address seed) {
    Node node = nodes.computeIfAbsent(name, n -> new Node(n, dataDir));
    node.system = ActorSystem.create(Behaviors.empty(), "raftring", nodeConfig(dataDir));
    Cluster cluster = Cluster.get(node.system);
    cluster.manager().tell(Join.create(seed == null ? cluster.selfMember().address() : seed));
    ReplicaId id = new ReplicaId("g", name);
    node.replica = node.system.systemActorOf(
        RaftReplica.create(id, MEMBERS, SETTINGS, ReceptionistPeers.forGroup(id, MEMBERS),
            () -> node.machine = new KvStateMachine(), new Random(name.hashCode())),
        "raft-g", Props.empty());
    return node;
  }

  private static Address addressOf(Node node) {
    return Cluster.get(node.system).selfMember().address();
  }

  @AfterEach
  void stopAll() {
    for (Node node : nodes.values()) {
      if (node.system != null) {
        node.system.terminate();
      }
    }
    for (Node node : nodes.values()) {
      if (node.system != null) {
        node.system.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
      }
    }
  }

  private static RaftReplica.Status status(Node node) {
    return AskPattern.<RaftReplica.Command, RaftReplica.Status>ask(node.replica, RaftReplica.GetStatus::new,
            Duration.ofSeconds(5), node.system.scheduler())
        .toCompletableFuture().orTimeout(6, TimeUnit.SECONDS).join();
  }

  private Node awaitLeader(List<Node> live) {
    TestProbe<Object> probe = kit.createTestProbe();
    return probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      List<Node> leaders = live.stream().filter(n -> status(n).role() == RoleName.LEADER).toList();
      assertThat(leaders).hasSize(1);
      return leaders.get(0);
    });
  }

  /**
   * Writes {@code WRITES} puts over {@code KEYS} keys, 1,000 in flight at a time, to whichever survivor leads. On a
   * busy machine leadership may move meanwhile; what was refused (or whose outcome is unknown) is sent again to the
   * new leader, so a put may apply twice, which changes revisions but not the comparison of the replicas.
   */
  private void writeAll(List<Node> live) {
    for (int wave = 0; wave < WRITES; wave += 1_000) {
      List<Integer> pending = new ArrayList<>();
      for (int i = wave; i < wave + 1_000; i++) {
        pending.add(i);
      }
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        assertThat(attempt).as("writes keep failing").isLessThan(10);
        Node leader = awaitLeader(live);
        List<CompletableFuture<RaftReplica.ProposeReply>> replies = new ArrayList<>();
        for (int i : pending) {
          byte[] command = KvCodec.encode(new KvCommand.Put("key-" + (i % KEYS),
              ("value-" + i).getBytes(StandardCharsets.UTF_8)));
          replies.add(AskPattern.<RaftReplica.Command, RaftReplica.ProposeReply>ask(leader.replica,
                  replyTo -> new RaftReplica.Propose(command, replyTo), Duration.ofSeconds(20),
                  leader.system.scheduler())
              .toCompletableFuture());
        }
        List<Integer> failed = new ArrayList<>();
        for (int k = 0; k < replies.size(); k++) {
          RaftReplica.ProposeReply reply = replies.get(k).exceptionally(e -> null).join();
          if (!(reply instanceof RaftReplica.Applied)) {
            failed.add(pending.get(k));
          }
        }
        pending = failed;
      }
    }
  }

  @Test
  void aFollowerStoppedWhileTheLogWasCompactedCatchesUpBySnapshotWithIdenticalState() throws Exception {
    Node n1 = start("n1", Files.createTempDirectory("raftring-snap-n1"), null);
    Address seed = addressOf(n1);
    Node n2 = start("n2", Files.createTempDirectory("raftring-snap-n2"), seed);
    Node n3 = start("n3", Files.createTempDirectory("raftring-snap-n3"), seed);
    kit = ActorTestKit.create(n1.system);
    List<Node> all = List.of(n1, n2, n3);
    Node leader = awaitLeader(all);

    // Stop a follower (not the seed's system, so the test kit keeps its scheduler).
    Node lost = all.stream().filter(n -> n != leader && n != n1).findFirst()
        .orElseGet(() -> all.stream().filter(n -> n != leader).findFirst().orElseThrow());
    long lostLastIndex = status(lost).lastIndex();
    Address lostAddress = addressOf(lost);
    lost.system.terminate();
    lost.system.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    List<Node> survivors = all.stream().filter(n -> n != lost).toList();
    Cluster.get(leader.system).manager().tell(new Down(lostAddress));
    if (lost == n1) {
      kit = ActorTestKit.create(leader.system);
    }

    writeAll(survivors);
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      for (Node n : survivors) {
        assertThat(status(n).snapshotIndex()).as("compacted on %s", n.name).isGreaterThanOrEqualTo(9_000);
      }
      return null;
    });
    Node leaderNow = awaitLeader(survivors);
    RaftReplica.Status leaderStatus = status(leaderNow);

    // The lost node comes back from its own data directory; what it lacks is compacted on every survivor.
    Node restarted = start(lost.name, lost.dataDir, addressOf(leaderNow));
    probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      RaftReplica.Status s = status(restarted);
      assertThat(s.lastApplied()).isGreaterThanOrEqualTo(leaderStatus.commitIndex());
      assertThat(s.snapshotIndex()).as("caught up by snapshot").isGreaterThan(lostLastIndex);
      return null;
    });
    KvStateMachine expected = leaderNow.machine;
    probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      assertThat(status(restarted).lastApplied()).isEqualTo(status(leaderNow).lastApplied());
      assertThat(restarted.machine.revision()).isEqualTo(expected.revision()).isGreaterThanOrEqualTo(WRITES);
      assertThat(restarted.machine.entries()).isEqualTo(expected.entries());
      return null;
    });
    assertThat(restarted.machine.size()).isEqualTo(KEYS);
    assertThat(restarted.machine.get("key-7").orElseThrow().modRevision())
        .isEqualTo(expected.get("key-7").orElseThrow().modRevision());
  }
}
