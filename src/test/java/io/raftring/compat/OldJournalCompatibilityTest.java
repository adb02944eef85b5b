package io.raftring.compat;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import io.raftring.RaftRing;
import io.raftring.api.KvApi;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by an earlier build (journal events, Akka snapshots and state machine snapshot files; see
 * {@link OldJournalFixture}) recovers under this build with every key, value and revision as that build read them,
 * and takes new writes. It guards the persisted forms across dependency upgrades (Jackson's CBOR above all).
 */
class OldJournalCompatibilityTest {

  /** Written by commit aa2afbd: Jackson 2.11.4, Scala 2.13.8, logback 1.2.13. */
  private static final String FIXTURE = "/compat/journal-0.1.0-aa2afbd.zip";

  @TempDir
  Path dataDir;

  @Test
  void aDataDirectoryWrittenByTheEarlierBuildRecoversWithEveryKeyAndRevision() throws Exception {
    try (InputStream zip = getClass().getResourceAsStream(FIXTURE)) {
      assertThat(zip).as(FIXTURE).isNotNull();
      OldJournalFixture.unzip(zip, dataDir);
    }
    List<String> expected = Files.readAllLines(dataDir.resolve(OldJournalFixture.EXPECTED));
    assertThat(expected).hasSize(34);

    ActorSystem<Void> system = OldJournalFixture.start(dataDir);
    try {
      KvApi kv = RaftRing.get(system).kv();
      Duration timeout = Duration.ofSeconds(15);

      assertThat(OldJournalFixture.contents(kv, timeout)).containsExactlyElementsOf(expected);

      WriteOutcome written = kv.write(new KvCommand.Put("key-1", "after".getBytes(StandardCharsets.UTF_8)), timeout)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      long previousModRevision = Long.parseLong(expected.get(0).split("\t")[3]);
      assertThat(((KvResult.Written) written.result()).revision()).isGreaterThan(previousModRevision);
    } finally {
      system.terminate();
      RaftRing.get(system).whenStopped().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
