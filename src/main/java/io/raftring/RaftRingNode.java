package io.raftring;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
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

  private RaftRingNode(ActorSystem<Void> system) {
    this.system = system;
    this.raftRing = RaftRing.get(system);
  }

  /**
   * Starts a node from {@code config} (a node file such as conf/node.conf, already parsed), falling back to the
   * standalone defaults and reference.conf.
   */
  public static RaftRingNode start(Config config) {
    Config full = resolve(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "raftring", full);
    try {
      return new RaftRingNode(system);
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

  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  @Override
  public void close() {
    system.terminate();
  }
}
