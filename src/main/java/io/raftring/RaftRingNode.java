package io.raftring;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.raftring.admission.Admission;
import io.raftring.http.HttpServer;
import io.raftring.http.HttpSettings;
import io.raftring.security.NetworkExposure;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One standalone RaftRing node: an ActorSystem in the Akka cluster, this node's replicas on RocksDB under its data
 * directory, and (unless disabled) the HTTP endpoint. Ctrl-C or {@link #close()} shuts it down through
 * CoordinatedShutdown.
 */
public final class RaftRingNode implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final RaftRing raftRing;
  private final CompletionStage<ServerBinding> http;

  private RaftRingNode(ActorSystem<Void> system) {
    this.system = system;
    this.raftRing = RaftRing.get(system);
    Config config = system.settings().config();
    if (config.getBoolean("raftring.http.enabled")) {
      Admission admission = new Admission(Admission.Settings.fromConfig(config));
      system.getWhenTerminated().thenRun(admission::close);
      this.http = HttpServer.start(system, raftRing.kv(), raftRing, raftRing.metrics(),
          HttpSettings.fromConfig(config), admission);
    } else {
      this.http = null;
    }
  }

  /** The HTTP endpoint's binding (its real port when configured with port 0); fails if HTTP is disabled. */
  public ServerBinding httpBinding() {
    if (http == null) {
      throw new IllegalStateException("raftring.http.enabled is off on this node");
    }
    return http.toCompletableFuture().join();
  }

  /**
   * Starts a node from {@code config} (a node file such as conf/node.conf, already parsed), falling back to the
   * standalone defaults and reference.conf. Refuses (IllegalArgumentException) a configuration that would expose the
   * node unprotected on a non-loopback address ({@link NetworkExposure}).
   */
  public static RaftRingNode start(Config config) {
    Config full = resolve(config);
    List<String> refusals = NetworkExposure.nodeRefusals(full);
    if (!refusals.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", refusals));
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "raftring", full);
    try {
      RaftRingNode node = new RaftRingNode(system);
      if (node.http != null) {
        node.httpBinding();
      }
      return node;
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** The node's whole configuration: its own file over the standalone defaults over reference.conf. */
  public static Config resolve(Config config) {
    Config layered = config
        .withFallback(ConfigFactory.parseResources("raftring-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    String name = layered.getString("raftring.node.name");
    // The node's name is its cluster role, so every node can tell which member is which node.
    return layered.withValue("akka.cluster.roles",
        ConfigValueFactory.fromIterable(List.of(RaftRing.NODE_ROLE_PREFIX + name)));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public RaftRing raftRing() {
    return raftRing;
  }

  /** Completes once the node has stopped and closed its storage, so its data directory may be removed or reused. */
  public CompletionStage<Done> whenTerminated() {
    return raftRing.whenStopped();
  }

  @Override
  public void close() {
    system.terminate();
  }
}
