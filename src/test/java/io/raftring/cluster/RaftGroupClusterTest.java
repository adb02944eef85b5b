package io.raftring.cluster;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.raft.LogEntry;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.RecordingStateMachine;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.RoleName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three ActorSystems joined in one Akka cluster host one Raft group, each replica a sharded entity pinned to its own
 * node, on RocksDB in temporary directories: the
 * replicas elect one leader, replicate and apply in one order, survive the loss of the leader's node, and the
 * restarted node catches up from its own data directory.
 */
class RaftGroupClusterTest {

  private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
  private static final Duration AWAIT = Duration.ofSeconds(30);

  /** A node: its ActorSystem, its data directory and the group's replica on it. */
  private static final class Node {
    final String name;
    final Path dataDir;
    ActorSystem<Void> system;
    RecipientRef<RaftReplica.Command> replica;
    volatile RecordingStateMachine machine;

    Node(String name, Path dataDir) {
      this.name = name;
      this.dataDir = dataDir;
    }
  }

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Every (term -> leader) any replica reported; two leaders in one term would show here. */
  private final Map<Long, String> leaderOfTerm = new HashMap<>();
  private ActorTestKit kit;

  private static Config nodeConfig(String name, Path dataDir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.cluster.roles = [\"node:" + name + "\"]",
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
    node.system = ActorSystem.create(Behaviors.empty(), "raftring", nodeConfig(name, dataDir));
    Cluster cluster = Cluster.get(node.system);
    cluster.manager().tell(Join.create(seed == null ? cluster.selfMember().address() : seed));
    ShardedReplicas[] replicas = new ShardedReplicas[1];
    replicas[0] = ShardedReplicas.start(node.system, name, "node:", id -> RaftReplica.create(id, MEMBERS,
        RaftSettings.defaults(), ctx -> replicas[0].peersOf("g"), () -> node.machine = new RecordingStateMachine(),
        new Random(name.hashCode())));
    node.replica = replicas[0].locate(new ReplicaId("g", name));
    node.replica.tell(new RaftReplica.GetStatus(node.system.ignoreRef()));
    return node;
  }

  private Address addressOf(Node node) {
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

  private static <T> T ask(ActorSystem<?> system, RecipientRef<RaftReplica.Command> to,
      akka.japi.function.Function<ActorRef<T>, RaftReplica.Command> message) {
    return AskPattern.ask(to, message, Duration.ofSeconds(5), system.scheduler())
        .toCompletableFuture().orTimeout(6, TimeUnit.SECONDS).join();
  }

  private RaftReplica.Status status(Node node) {
    RaftReplica.Status s = ask(node.system, node.replica, RaftReplica.GetStatus::new);
    if (s.role() == RoleName.LEADER) {
      String previous = leaderOfTerm.putIfAbsent(s.term(), node.name);
      assertThat(previous == null || previous.equals(node.name))
          .as("Election Safety: term %d has leaders %s and %s", s.term(), previous, node.name).isTrue();
    }
    return s;
  }

  private List<LogEntry> logOf(Node node) {
    return ask(node.system, node.replica, RaftReplica.GetLog::new).entries();
  }

  /** Waits until exactly one of {@code live} leads (and the others follow it); returns that node. */
  private Node awaitLeader(List<Node> live) {
    TestProbe<Object> probe = kit.createTestProbe();
    return probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      List<Node> leaders = new ArrayList<>();
      for (Node n : live) {
        if (status(n).role() == RoleName.LEADER) {
          leaders.add(n);
        }
      }
      assertThat(leaders).hasSize(1);
      return leaders.get(0);
    });
  }

  private List<RaftReplica.ProposeReply> proposeAll(Node leader, String prefix, int count) {
    List<CompletableFuture<RaftReplica.ProposeReply>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] command = bytes(prefix + i);
      replies.add(AskPattern.<RaftReplica.Command, RaftReplica.ProposeReply>ask(leader.replica,
              replyTo -> new RaftReplica.Propose(command, replyTo), Duration.ofSeconds(20), leader.system.scheduler())
          .toCompletableFuture());
    }
    return replies.stream().map(f -> f.orTimeout(25, TimeUnit.SECONDS).join()).collect(Collectors.toList());
  }

  private void awaitSameAppliedEverywhere(List<Node> live, int expectedCommands) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      List<String> reference = live.get(0).machine.applied;
      assertThat(reference).hasSize(expectedCommands);
      for (Node n : live) {
        assertThat(n.machine.applied).as("applied on %s", n.name).isEqualTo(reference);
      }
      return null;
    });
  }

  @Test
  void aGroupOfThreeReplicatesSurvivesItsLeadersLossAndTheRestartedNodeCatchesUp() throws Exception {
    Node n1 = start("n1", Files.createTempDirectory("raftring-n1"), null);
    Address seed = addressOf(n1);
    Node n2 = start("n2", Files.createTempDirectory("raftring-n2"), seed);
    Node n3 = start("n3", Files.createTempDirectory("raftring-n3"), seed);
    kit = ActorTestKit.create(n1.system);
    List<Node> all = List.of(n1, n2, n3);

    // One leader; 1,000 proposals all applied, in one order, on every replica.
    Node leader = awaitLeader(all);
    List<RaftReplica.ProposeReply> replies = proposeAll(leader, "a", 1000);
    assertThat(replies).allMatch(r -> r instanceof RaftReplica.Applied);
    awaitSameAppliedEverywhere(all, 1000);
    List<String> committedBefore = List.copyOf(leader.machine.applied);

    // Lose the leader's whole node: the other two elect a new leader that has every committed entry.
    Address lostAddress = addressOf(leader);
    Path lostDir = leader.dataDir;
    String lostName = leader.name;
    leader.system.terminate();
    leader.system.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    List<Node> survivors = all.stream().filter(n -> n != leader).collect(Collectors.toList());
    Cluster.get(survivors.get(0).system).manager().tell(new Down(lostAddress));
    kit = ActorTestKit.create(survivors.get(0).system);
    Node newLeader = awaitLeader(survivors);
    assertThat(newLeader.name).isNotEqualTo(lostName);
    assertThat(proposeAll(newLeader, "b", 100)).allMatch(r -> r instanceof RaftReplica.Applied);
    awaitSameAppliedEverywhere(survivors, 1100);
    assertThat(newLeader.machine.applied.subList(0, 1000)).isEqualTo(committedBefore);

    // Restart the lost node from its data directory: it rejoins and catches up; logs end identical.
    Node restarted = start(lostName, lostDir, addressOf(survivors.get(0)));
    List<Node> live = new ArrayList<>(survivors);
    live.add(restarted);
    awaitSameAppliedEverywhere(live, 1100);
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      List<LogEntry> reference = logOf(newLeader);
      for (Node n : live) {
        assertThat(logOf(n)).as("log of %s", n.name).isEqualTo(reference);
      }
      return null;
    });

    // Every leader appends exactly one NO-OP in its term: two NO-OPs of one term would mean two leaders.
    Map<Long, Long> noopsPerTerm = logOf(newLeader).stream()
        .filter(e -> e.kind() == LogEntry.Kind.NOOP)
        .collect(Collectors.groupingBy(LogEntry::term, Collectors.counting()));
    assertThat(noopsPerTerm.values()).allMatch(count -> count == 1);
    for (Node n : live) {
      status(n);
    }
  }
}
