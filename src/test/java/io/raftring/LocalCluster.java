package io.raftring;

import akka.actor.Address;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KvCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several RaftRing nodes in this JVM, each its own ActorSystem with RocksDB in a temporary directory, joined in one
 * Akka cluster on loopback. Nodes can be stopped and restarted from their data directories.
 */
public final class LocalCluster implements AutoCloseable {

  private final List<String> names;
  private final int groups;
  private final Config extra;
  private final Map<String, Path> dataDirs = new LinkedHashMap<>();
  private final Map<String, RaftRingNode> running = new LinkedHashMap<>();

  public LocalCluster(List<String> names, int groups) throws IOException {
    this(names, groups, ConfigFactory.empty());
  }

  /** A cluster whose nodes all take {@code extra} over the test defaults. */
  public LocalCluster(List<String> names, int groups, Config extra) throws IOException {
    this.names = List.copyOf(names);
    this.groups = groups;
    this.extra = extra;
    for (String name : names) {
      dataDirs.put(name, Files.createTempDirectory("raftring-" + name));
    }
  }

  public static LocalCluster start(List<String> names, int groups) throws IOException {
    return start(names, groups, ConfigFactory.empty());
  }

  public static LocalCluster start(List<String> names, int groups, Config extra) throws IOException {
    LocalCluster cluster = new LocalCluster(names, groups, extra);
    for (String name : names) {
      cluster.startNode(name);
    }
    return cluster;
  }

  private Config configOf(String name) {
    return extra.withFallback(ConfigFactory.parseString(String.join("\n",
        "raftring.node.name = " + name,
        "raftring.cluster.nodes = [" + String.join(",", names) + "]",
        "raftring.cluster.groups = " + groups,
        "raftring.storage.dir = \"" + dataDirs.get(name).toString().replace("\\", "/") + "\"",
        "raftring.http.port = 0",
        "akka.remote.artery.canonical.port = 0",
        "akka.cluster.seed-nodes = []",
        "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "akka.coordinated-shutdown.exit-jvm = off",
        "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "akka.loglevel = WARNING")));
  }

  /**
   * Starts (or restarts, from its data directory) the node {@code name} and joins it to the running ones. A name
   * not among the initial nodes is a node added to the cluster later: it gets a fresh data directory.
   */
  public RaftRingNode startNode(String name) {
    if (!dataDirs.containsKey(name)) {
      try {
        dataDirs.put(name, Files.createTempDirectory("raftring-" + name));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    RaftRingNode node = RaftRingNode.start(configOf(name));
    Cluster cluster = Cluster.get(node.system());
    Address seed = running.values().stream().findFirst()
        .map(n -> Cluster.get(n.system()).selfMember().address())
        .orElse(cluster.selfMember().address());
    cluster.manager().tell(Join.create(seed));
    running.put(name, node);
    return node;
  }

  /**
   * A put through {@code via}, sent again (up to {@code attempts} in all) while its outcome is unknown or no quorum
   * answers: on a busy two-core machine leadership may move during a test, and a put of the same value is safe to
   * repeat.
   */
  public static WriteOutcome putRetrying(RaftRingNode via, String key, String value, int attempts) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        return via.raftRing().kv().write(new KvCommand.Put(key, value.getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(10))
            .toCompletableFuture().orTimeout(15, TimeUnit.SECONDS).join();
      } catch (RuntimeException e) {
        RaftRingException r = RaftRingException.find(e);
        if (r == null || (r.code() != ErrorCode.TIMEOUT && r.code() != ErrorCode.NO_QUORUM)) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  /** Terminates the node's ActorSystem; its data directory stays for a restart. */
  public void stopNode(String name) {
    RaftRingNode node = running.remove(name);
    if (node != null) {
      Address address = Cluster.get(node.system()).selfMember().address();
      node.close();
      node.whenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
      // An operator (or the node's next incarnation) removes a stopped member; here the test does it at once.
      for (RaftRingNode other : running.values()) {
        Cluster.get(other.system()).manager().tell(new akka.cluster.typed.Down(address));
      }
    }
  }

  /** Deletes everything in a stopped node's data directory: it restarts as if its disk had been replaced. */
  public void wipe(String name) {
    if (running.containsKey(name)) {
      throw new IllegalStateException(name + " is running; stop it before wiping its data");
    }
    TestDirs.delete(dataDirs.get(name), false);
  }

  /** Whether the node's ActorSystem is still running (a node that left the cluster terminates itself). */
  public boolean isRunning(String name) {
    RaftRingNode node = running.get(name);
    return node != null && !node.whenTerminated().toCompletableFuture().isDone();
  }

  public RaftRingNode node(String name) {
    RaftRingNode node = running.get(name);
    if (node == null) {
      throw new IllegalStateException(name + " is not running");
    }
    return node;
  }

  public List<RaftRingNode> runningNodes() {
    return new ArrayList<>(running.values());
  }

  /** The port the node's HTTP endpoint is bound to. */
  public int httpPort(String name) {
    return node(name).httpBinding().localAddress().getPort();
  }

  public List<String> names() {
    return names;
  }

  @Override
  public void close() {
    for (RaftRingNode node : running.values()) {
      node.close();
    }
    for (RaftRingNode node : running.values()) {
      node.whenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
    running.clear();
    // Every node is down: their data goes too, so that test runs do not fill the temporary directory.
    dataDirs.values().forEach(dir -> TestDirs.delete(dir, true));
  }
}
