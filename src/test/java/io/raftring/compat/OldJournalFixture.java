package io.raftring.compat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.RaftRing;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The data directory of a one-node RaftRing written by one build, for the next build to read back
 * ({@link OldJournalCompatibilityTest}). It exercises every persisted form: term and vote events, appended entries,
 * snapshots taken (the Akka snapshot of the replica and the state machine's file) and the events after the last one.
 *
 * <p>Regenerate only on purpose, with the build whose data the next one must read:
 * {@code java -cp target/test-classes:target/classes:$(cat target/classpath.txt) io.raftring.compat.OldJournalFixture
 * src/test/resources/compat/journal-<version>-<commit>.zip}; the zip holds the data directory and {@code expected.tsv}
 * (key, base64 value, create, mod revision and version of every key, as that build read them back).
 */
public final class OldJournalFixture {

  static final String NODE = "n1";
  static final int GROUPS = 2;
  static final String EXPECTED = "expected.tsv";

  private OldJournalFixture() {}

  /** The configuration the fixture was written with; the reading test uses the same. */
  static Config config(Path dataDir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.actor.provider = cluster",
            "akka.remote.artery.canonical.hostname = 127.0.0.1",
            "akka.remote.artery.canonical.port = 0",
            "akka.cluster.roles = [\"node:" + NODE + "\"]",
            "akka.cluster.jmx.enabled = off",
            "akka.persistence.journal.plugin = raftring.storage.journal",
            "akka.persistence.snapshot-store.plugin = raftring.storage.snapshot-store",
            "raftring.storage.dir = \"" + dataDir.toString().replace("\\", "/") + "\"",
            "raftring.node.name = " + NODE,
            "raftring.cluster.nodes = [" + NODE + "]",
            "raftring.cluster.groups = " + GROUPS,
            "raftring.cluster.replication-factor = 1",
            // Small, so that the 200 writes below take several snapshots and leave events after the last one.
            "raftring.raft.snapshot.threshold-entries = 30"))
        .withFallback(ConfigFactory.load());
  }

  static ActorSystem<Void> start(Path dataDir) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fixture", config(dataDir));
    Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
    return system;
  }

  /** Every key in key order as one line each: key, base64 value, create_revision, mod_revision, version. */
  static List<String> contents(KvApi kv, Duration timeout) throws Exception {
    List<String> lines = new ArrayList<>();
    KvQuery.Range range = new KvQuery.Prefix("", 1000);
    while (true) {
      ReadOutcome outcome = readRetryingWhileStarting(kv, range, timeout);
      KvResult.RangePage page = (KvResult.RangePage) outcome.result();
      for (KeyValue kv1 : page.keyValues()) {
        lines.add(String.join("\t", kv1.key(), Base64.getEncoder().encodeToString(kv1.value()),
            Long.toString(kv1.createRevision()), Long.toString(kv1.modRevision()), Long.toString(kv1.version())));
      }
      if (page.nextPageToken().isEmpty()) {
        return lines;
      }
      range = range.withPageToken(page.nextPageToken().get());
    }
  }

  /**
   * A freshly started node may refuse the first reads (no leader yet, or its replica's queue full while it recovers and
   * elects): retry those for up to 30 s.
   */
  private static ReadOutcome readRetryingWhileStarting(KvApi kv, KvQuery query, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return kv.read(query, ReadConsistency.LINEARIZABLE, timeout).toCompletableFuture()
            .get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        RaftRingException refusal = RaftRingException.find(e);
        boolean starting = refusal != null && Set.of(ErrorCode.NOT_READY, ErrorCode.OVERLOADED, ErrorCode.NO_QUORUM,
            ErrorCode.TIMEOUT).contains(refusal.code());
        if (!starting || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path zip = Path.of(args[0]);
    Path dataDir = Files.createTempDirectory("raftring-fixture");
    ActorSystem<Void> system = start(dataDir);
    List<String> expected;
    try {
      KvApi kv = RaftRing.get(system).kv();
      Duration timeout = Duration.ofSeconds(15);
      for (int i = 0; i < 200; i++) {
        String key = "key-" + (i % 40);
        KvCommand command = i % 7 == 6
            ? new KvCommand.Delete(key, KvCondition.always())
            : new KvCommand.Put(key, ("value " + i).getBytes(StandardCharsets.UTF_8));
        kv.write(command, timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      expected = contents(kv, timeout);
    } finally {
      system.terminate();
      RaftRing.get(system).whenStopped().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Files.writeString(dataDir.resolve(EXPECTED), String.join("\n", expected) + "\n");
    Files.createDirectories(zip.toAbsolutePath().getParent());
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = dataDir.relativize(file).toString().replace('\\', '/');
        String base = file.getFileName().toString();
        if (base.equals("LOG") || base.startsWith("LOG.old")) {
          continue; // RocksDB's own text log: not data
        }
        out.putNextEntry(new ZipEntry(name));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    System.out.println("wrote " + zip + " with " + expected.size() + " keys (from " + dataDir + ")");
  }

  /** Unpacks a fixture zip into {@code dir}. */
  static void unzip(InputStream zip, Path dir) throws IOException {
    try (ZipInputStream in = new ZipInputStream(zip)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path target = dir.resolve(entry.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException("zip entry outside the directory: " + entry.getName());
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          in.transferTo(out);
        }
      }
    }
  }
}
