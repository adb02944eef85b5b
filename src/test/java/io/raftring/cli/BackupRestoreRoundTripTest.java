package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.LocalCluster;
import io.raftring.api.KvApi;
import io.raftring.api.ReadOutcome;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a running three-node cluster (writes going on meanwhile) restored into a new cluster gives back every
 * key with its value, create and mod revision and version, and every group its revision; a backup of the new
 * cluster is the same, group for group.
 */
class BackupRestoreRoundTripTest {

  private static final int GROUPS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void aBackupRestoredIntoANewClusterHasEveryKeyAndRevisionOfTheOriginal() throws Exception {
    Path first = dir.resolve("cluster-a.backup");
    Path second = dir.resolve("cluster-b.backup");
    String checksumA;
    Map<String, Long> revisionsA;
    try (LocalCluster a = LocalCluster.start(List.of("n1", "n2", "n3"), GROUPS)) {
      awaitReady(a);
      KvApi kv = a.node("n1").raftRing().kv();
      load(kv);
      checksumA = checksumOfKeys(kv, "k/");
      revisionsA = groupRevisions(a);

      // Writes to other keys go on during the backup: the backup must not wait for them, nor mix states.
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger liveWrites = new AtomicInteger();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int i = 0; writing.get() && i < 5_000; i++) {
          try {
            kv.write(new KvCommand.Put("live/" + (i % 20), bytes("w" + i)), TIMEOUT).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
            liveWrites.incrementAndGet();
          } catch (Exception e) {
            // a refused or timed-out write changes nothing this test reads
          }
        }
      });
      CliRun backup = CliRun.of("backup", "--out", first.toString(), "--page-keys", "7", "--endpoint", endpoint(a));
      writing.set(false);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(backup.exitCode()).as(backup.toString()).isZero();
      assertThat(liveWrites.get()).as("writes during the backup").isPositive();
    }

    BackupFile.Summary backedUp = BackupFile.verify(first);
    try (LocalCluster b = LocalCluster.start(List.of("n1", "n2", "n3"), GROUPS)) {
      awaitReady(b);
      CliRun restore = CliRun.of("restore", first.toString(), "--chunk-bytes", "4096", "--endpoint", endpoint(b));
      assertThat(restore.exitCode()).as(restore.toString()).isZero();
      assertThat(restore.out()).contains("every group read back equal to the backup");

      KvApi kv = b.node("n2").raftRing().kv();
      assertThat(checksumOfKeys(kv, "k/")).isEqualTo(checksumA);
      Map<String, Long> revisionsB = groupRevisions(b);
      backedUp.groups().forEach(g -> {
        assertThat(revisionsB.get(g.group())).as(g.group()).isEqualTo(g.revision());
        assertThat(g.revision()).as(g.group()).isGreaterThanOrEqualTo(revisionsA.get(g.group()));
      });

      CliRun again = CliRun.of("backup", "--out", second.toString(), "--endpoint", endpoint(b));
      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(stateOf(BackupFile.verify(second))).isEqualTo(stateOf(backedUp));

      // The restored groups go on from their revisions,
      KvResult written = kv.write(new KvCommand.Put("k/after", bytes("x")), TIMEOUT).toCompletableFuture()
          .get(15, TimeUnit.SECONDS).result();
      String group = kv.explain("k/after").group();
      assertThat(((KvResult.Written) written).revision()).isEqualTo(revisionsB.get(group) + 1);

      // and once written to, a group refuses a restore, which changes nothing.
      String checksumAfter = checksumOfKeys(kv, "k/");
      CliRun refused = CliRun.of("restore", first.toString(), "--endpoint", endpoint(b));
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(RaftRingMain.REFUSED);
      assertThat(refused.stderr()).contains("CONFLICT");
      assertThat(checksumOfKeys(kv, "k/")).isEqualTo(checksumAfter);
    }
  }

  /** Each group's revision, key count and digest (applied indexes differ between clusters, and do not matter). */
  private static List<String> stateOf(BackupFile.Summary summary) {
    return summary.groups().stream().map(g -> g.group() + " " + g.revision() + " " + g.keys() + " " + g.digest())
        .toList();
  }

  /** Puts, overwrites and deletes over 120 keys, some with a large or empty value or an odd key. */
  private static void load(KvApi kv) throws Exception {
    Random random = new Random(7);
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 360; i++) {
      String key = "k/" + (i % 120) + (i % 11 == 0 ? "/ключ 😀" : "");
      KvCommand command;
      if (i % 9 == 8) {
        command = new KvCommand.Delete(key);
      } else {
        byte[] value = new byte[i % 50 == 0 ? 200_000 : random.nextInt(64)];
        random.nextBytes(value);
        command = new KvCommand.Put(key, value);
      }
      writes.add(writeRetrying(kv, command));
      if (writes.size() == 16) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  /**
   * A write, sent again while the cluster refuses it (a loaded machine fills a replica's queue) or its outcome is
   * unknown: what is checked later is the state the writes leave, read back, not which of them applied.
   */
  private static CompletableFuture<Void> writeRetrying(KvApi kv, KvCommand command) {
    return CompletableFuture.runAsync(() -> {
      for (int attempt = 1; ; attempt++) {
        try {
          kv.write(command, TIMEOUT).toCompletableFuture().get(15, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (attempt == 20) {
            throw new IllegalStateException("write " + command + " failed 20 times", e);
          }
        }
      }
    });
  }

  /** SHA-256 over every key under {@code prefix} in key order with its value and revisions, read linearizably. */
  private static String checksumOfKeys(KvApi kv, String prefix) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    KvQuery.Range range = new KvQuery.Prefix(prefix, 50);
    int keys = 0;
    while (true) {
      ReadOutcome outcome = kv.read(range, ReadConsistency.LINEARIZABLE, TIMEOUT).toCompletableFuture()
          .get(15, TimeUnit.SECONDS);
      KvResult.RangePage page = (KvResult.RangePage) outcome.result();
      for (KeyValue k : page.keyValues()) {
        sha.update((k.key() + "\u0000" + k.createRevision() + ":" + k.modRevision() + ":" + k.version() + "\u0000")
            .getBytes(StandardCharsets.UTF_8));
        sha.update(k.value());
        keys++;
      }
      if (page.nextPageToken().isEmpty()) {
        assertThat(keys).as("keys under %s", prefix).isGreaterThan(100);
        return HexFormat.of().formatHex(sha.digest());
      }
      range = range.withPageToken(page.nextPageToken().get());
    }
  }

  /** Each group's store revision, from a read of some key in it. */
  private static Map<String, Long> groupRevisions(LocalCluster cluster) throws Exception {
    KvApi kv = cluster.node("n3").raftRing().kv();
    Map<String, Long> revisions = new TreeMap<>();
    for (int i = 0; revisions.size() < GROUPS; i++) {
      String key = "probe-" + i;
      String group = kv.explain(key).group();
      if (!revisions.containsKey(group)) {
        KvResult result = kv.read(new KvQuery.Get(key), ReadConsistency.LINEARIZABLE, TIMEOUT).toCompletableFuture()
            .get(15, TimeUnit.SECONDS).result();
        revisions.put(group, ((KvResult.NotFound) result).revision());
      }
    }
    return revisions;
  }

  private static String endpoint(LocalCluster cluster) {
    return "http://127.0.0.1:" + cluster.httpPort("n1");
  }

  private static void awaitReady(LocalCluster cluster) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String name : cluster.names()) {
      URI ready = URI.create("http://127.0.0.1:" + cluster.httpPort(name) + "/health/ready");
      while (true) {
        int status;
        try {
          status = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
          status = -1;
        }
        if (status == 200) {
          break;
        }
        assertThat(System.nanoTime()).as("%s ready within 60 s", name).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
