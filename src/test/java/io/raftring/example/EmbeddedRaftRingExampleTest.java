package io.raftring.example;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import io.raftring.RaftRing;
import io.raftring.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddedRaftRingExampleTest {

  @Test
  void anAkkaClusterApplicationUsesRaftRingThroughTheExtension() throws Exception {
    Path dataDir = Files.createTempDirectory("raftring-embedded");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "app", EmbeddedRaftRingExample.config(dataDir));
    try {
      Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      String greeting = EmbeddedRaftRingExample.run(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(greeting).isEqualTo("hello from an embedded RaftRing");
    } finally {
      system.terminate();
      // Not the system's termination: RocksDB is closed after it, and writes its manifest as it closes.
      RaftRing.get(system).whenStopped().toCompletableFuture().get(30, TimeUnit.SECONDS);
      TestDirs.delete(dataDir, true);
    }
  }
}
