package io.raftring.example;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRing;
import io.raftring.api.KvApi;
import io.raftring.api.ReadOutcome;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An Akka Cluster application that embeds RaftRing: it configures the RaftRing journal and its node name, gets the
 * extension, and uses the key-value API; no HTTP. Run it with a data directory as its argument.
 */
public final class EmbeddedRaftRingExample {

  private EmbeddedRaftRingExample() {}

  /** What an application adds to its own configuration to embed a one-node RaftRing. */
  static Config config(Path dataDir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.actor.provider = cluster",
            "akka.remote.artery.canonical.hostname = 127.0.0.1",
            "akka.remote.artery.canonical.port = 0",
            "akka.cluster.roles = [\"node:app-1\"]",
            "akka.persistence.journal.plugin = raftring.storage.journal",
            "akka.persistence.snapshot-store.plugin = raftring.storage.snapshot-store",
            "raftring.storage.dir = \"" + dataDir.toString().replace("\\", "/") + "\"",
            "raftring.node.name = app-1",
            "raftring.cluster.nodes = [app-1]",
            "raftring.cluster.replication-factor = 1"))
        .withFallback(ConfigFactory.load());
  }

  /** Starts the application, writes a greeting through RaftRing and reads it back linearizably. */
  public static CompletionStage<String> run(ActorSystem<?> system) {
    KvApi kv = RaftRing.get(system).kv();
    // Generous: the first request also waits for the cluster to form and the group to elect its leader.
    Duration timeout = Duration.ofSeconds(15);
    byte[] hello = "hello from an embedded RaftRing".getBytes(StandardCharsets.UTF_8);
    return kv.write(new KvCommand.Put("greeting", hello), timeout)
        .thenCompose(written -> kv.read(new KvQuery.Get("greeting"), ReadConsistency.LINEARIZABLE, timeout))
        .thenApply(EmbeddedRaftRingExample::valueOf);
  }

  private static String valueOf(ReadOutcome outcome) {
    return new String(((KvResult.Found) outcome.result()).keyValue().value(), StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("raftring-embedded");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "app", config(dataDir));
    Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
    try {
      System.out.println(run(system).toCompletableFuture().get());
    } finally {
      system.terminate();
    }
  }
}
