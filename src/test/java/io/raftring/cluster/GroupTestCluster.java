package io.raftring.cluster;

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
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.LogEntry;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.RoleName;
import io.raftring.raft.StateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Raft group "g" of three replicas hosted by Cluster Sharding on three ActorSystems in this JVM, on RocksDB in
 * the given directories; nodes can be stopped (terminated and downed) and started again from their directories.
 * Every status read checks Election Safety: no term may be seen with two leaders.
 *
 * @param <M> the replicas' state machine
 */
final class GroupTestCluster<M extends StateMachine> implements AutoCloseable {

  static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
  static final Duration AWAIT = Duration.ofSeconds(45);

  /** A node: its ActorSystem, its data directory and the group's replica on it. */
  static final class Node<M> {
    final String name;
    final Path dataDir;
    ActorSystem<Void> system;
    RecipientRef<ReplicaProtocol.Command> replica;
    volatile M machine;

    Node(String name, Path dataDir) {
      this.name = name;
      this.dataDir = dataDir;
    }
  }

  private final RaftSettings settings;
  private final Supplier<M> machines;
  private final Map<String, Node<M>> nodes = new LinkedHashMap<>();
  private final Map<Long, String> leaderOfTerm = new java.util.concurrent.ConcurrentHashMap<>();
  /** Probes live in a system of their own, since tests stop cluster nodes. */
  private final ActorTestKit kit = ActorTestKit.create("probes",
      ConfigFactory.parseString("akka.actor.provider = local"));

  GroupTestCluster(RaftSettings settings, Supplier<M> machines) {
    this.settings = settings;
    this.machines = machines;
  }

  private static Config nodeConfig(String name, Path dataDir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.actor.provider = cluster",
            "akka.cluster.roles = [\"node:" + name + "\"]",
            "akka.remote.artery.canonical.hostname = 127.0.0.1",
            "akka.remote.artery.canonical.port = 0",
            "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "akka.persistence.journal.plugin = raftring.storage.journal",
            "akka.persistence.snapshot-store.plugin = raftring.storage.snapshot-store",
            "raftring.storage.dir = \"" + dataDir.toString().replace("\\", "/") + "\""))
        .withFallback(ConfigFactory.load());
  }

  /** Starts node {@code name} on {@code dataDir} and joins it to {@code seed} (null: it founds the cluster). */
  Node<M> start(String name, Path dataDir, Address seed) {
    Node<M> node = nodes.computeIfAbsent(name, n -> new Node<>(n, dataDir));
    node.system = ActorSystem.create(Behaviors.empty(), "raftring", nodeConfig(name, dataDir));
    Cluster cluster = Cluster.get(node.system);
    cluster.manager().tell(Join.create(seed == null ? cluster.selfMember().address() : seed));
    ShardedReplicas[] replicas = new ShardedReplicas[1];
    replicas[0] = ShardedReplicas.start(node.system, name, "node:", id -> RaftReplica.create(id, MEMBERS, settings,
        ctx -> replicas[0].peersOf("g"), () -> node.machine = machines.get(), new Random(name.hashCode())));
    node.replica = replicas[0].locate(new ReplicaId("g", name));
    node.replica.tell(new ReplicaProtocol.GetStatus(node.system.ignoreRef()));
    return node;
  }

  /** Starts n1, n2 and n3 (the group's members), each in a fresh temporary directory named from {@code dirPrefix}. */
  List<Node<M>> startAll(String dirPrefix) throws java.io.IOException {
    Node<M> n1 = start("n1", java.nio.file.Files.createTempDirectory(dirPrefix + "n1"), null);
    Address seed = addressOf(n1);
    Node<M> n2 = start("n2", java.nio.file.Files.createTempDirectory(dirPrefix + "n2"), seed);
    Node<M> n3 = start("n3", java.nio.file.Files.createTempDirectory(dirPrefix + "n3"), seed);
    return List.of(n1, n2, n3);
  }

  /** Terminates the node's ActorSystem and downs it from the others; its data directory stays. */
  void stop(Node<M> node) {
    Address address = addressOf(node);
    node.system.terminate();
    node.system.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    for (Node<M> other : nodes.values()) {
      if (other != node && !other.system.whenTerminated().isCompleted()) {
        Cluster.get(other.system).manager().tell(new Down(address));
      }
    }
  }

  static Address addressOf(Node<?> node) {
    return Cluster.get(node.system).selfMember().address();
  }

  private static <T> T ask(Node<?> node, akka.japi.function.Function<ActorRef<T>, ReplicaProtocol.Command> message) {
    return AskPattern.ask(node.replica, message, Duration.ofSeconds(5), node.system.scheduler())
        .toCompletableFuture().orTimeout(6, TimeUnit.SECONDS).join();
  }

  ReplicaProtocol.Status status(Node<M> node) {
    ReplicaProtocol.Status s = ask(node, ReplicaProtocol.GetStatus::new);
    if (s.role() == RoleName.LEADER) {
      String previous = leaderOfTerm.putIfAbsent(s.term(), node.name);
      assertThat(previous == null || previous.equals(node.name))
          .as("Election Safety: term %d has leaders %s and %s", s.term(), previous, node.name).isTrue();
    }
    return s;
  }

  List<LogEntry> logOf(Node<M> node) {
    return ask(node, ReplicaProtocol.GetLog::new).entries();
  }

  /** Waits until exactly one of {@code live} leads; returns it. */
  Node<M> awaitLeader(List<Node<M>> live) {
    return probe().awaitAssert(AWAIT, Duration.ofMillis(100), () -> {
      List<Node<M>> leaders = new ArrayList<>();
      for (Node<M> n : live) {
        if (status(n).role() == RoleName.LEADER) {
          leaders.add(n);
        }
      }
      assertThat(leaders).hasSize(1);
      return leaders.get(0);
    });
  }

  TestProbe<Object> probe() {
    return kit.createTestProbe();
  }

  @Override
  public void close() {
    for (Node<M> node : nodes.values()) {
      if (node.system != null) {
        node.system.terminate();
      }
    }
    for (Node<M> node : nodes.values()) {
      if (node.system != null) {
        node.system.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
      }
    }
    kit.shutdownTestKit();
    nodes.values().forEach(node -> io.raftring.TestDirs.delete(node.dataDir, true));
  }
}
