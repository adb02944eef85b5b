package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvStateMachine;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measurements for snapshots and compaction (issue 6); run through bench/snapshot-bench.sh.
 *
 * <pre>
 *   recovery N [KEYS]  N puts over KEYS keys (default 1000) into a single-replica group on RocksDB with compaction
 *                      every 10,000 entries; reports write rate, data dir size, then restarts and reports how long
 *                      recovery took (newest snapshot + later events + state machine restore).
 *   blocking K         a KV state of K keys: how long the replica's thread is busy when it snapshots, with the
 *                      synchronous writeSnapshot (what KvStateMachine gets today) and with a TreeMap copy as the
 *                      point-in-time view, and how long writing that view takes off the actor.
 * </pre>
 */
public final class SnapshotBench {

  private SnapshotBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "recovery" -> recovery(Long.parseLong(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1000);
      case "blocking" -> blocking(Integer.parseInt(args[1]));
      default -> throw new IllegalArgumentException("recovery N [KEYS] | blocking K");
    }
  }

  private static Config config(Path dir) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.loglevel = WARNING",
            "akka.persistence.journal.plugin = raftring.storage.journal",
            "akka.persistence.snapshot-store.plugin = raftring.storage.snapshot-store",
            "raftring.storage.dir = \"" + dir.toString().replace("\\", "/") + "\""))
        .withFallback(ConfigFactory.load());
  }

  private static final RaftSettings SETTINGS =
      RaftSettings.defaults().withSnapshotThresholds(10_000, 64L << 20);

  private static ActorRef<ReplicaProtocol.Command> spawn(ActorSystem<Void> system) {
    ReplicaId id = new ReplicaId("bench", "n1");
    return system.systemActorOf(RaftReplica.create(id, Set.of("n1"), SETTINGS, ctx -> (node, m) -> { },
        KvStateMachine::new, new Random(1)), "raft-bench", Props.empty());
  }

  private static ReplicaProtocol.Status status(ActorSystem<Void> system, ActorRef<ReplicaProtocol.Command> replica) {
    return AskPattern.<ReplicaProtocol.Command, ReplicaProtocol.Status>ask(replica, ReplicaProtocol.GetStatus::new,
        Duration.ofMinutes(10), system.scheduler()).toCompletableFuture().join();
  }

  private static void recovery(long writes, int keys) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "raftring-snapbench");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config(dir));
    ActorRef<ReplicaProtocol.Command> replica = spawn(system);
    while (status(system, replica).role() != RoleName.LEADER) {
      Thread.onSpinWait();
    }
    long start = System.nanoTime();
    ArrayDeque<CompletableFuture<ReplicaProtocol.ProposeReply>> inflight = new ArrayDeque<>();
    for (long i = 0; i < writes; i++) {
      byte[] command = KvCodec.encode(new KvCommand.Put("key-" + (i % keys),
          ("value-" + i).getBytes(StandardCharsets.UTF_8)));
      inflight.add(AskPattern.<ReplicaProtocol.Command, ReplicaProtocol.ProposeReply>ask(replica,
          r -> new ReplicaProtocol.Propose(command, r), Duration.ofSeconds(60), system.scheduler()).toCompletableFuture());
      if (inflight.size() >= 2_000) {
        check(inflight.poll().join());
      }
    }
    while (!inflight.isEmpty()) {
      check(inflight.poll().join());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ReplicaProtocol.Status before = status(system, replica);
    System.out.printf("writes=%d keys=%d: %.1f s (%.0f writes/s); snapshot at %d, last index %d%n", writes, keys,
        seconds, writes / seconds, before.snapshotIndex(), before.lastIndex());
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.printf("data dir after writes: %s%n", sizes(dir));

    // Recovery: from spawn to the first answer (commands wait until recovery completed).
    for (int run = 0; run < 3; run++) {
      system = ActorSystem.create(Behaviors.empty(), "bench", config(dir));
      long t0 = System.nanoTime();
      replica = spawn(system);
      ReplicaProtocol.Status recovered = status(system, replica);
      long micros = (System.nanoTime() - t0) / 1_000;
      System.out.printf("recovery %d: %.1f ms (snapshot at %d, %d entries replayed after it)%n", run, micros / 1e3,
          recovered.snapshotIndex(), recovered.lastIndex() - recovered.snapshotIndex());
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    System.out.printf("data dir after restarts (RocksDB compacted): %s%n", sizes(dir));
  }

  private static void check(ReplicaProtocol.ProposeReply reply) {
    if (!(reply instanceof ReplicaProtocol.Applied)) {
      throw new IllegalStateException("write not applied: " + reply);
    }
  }

  private static String sizes(Path dir) throws IOException {
    return String.format("total %.2f MiB (rocksdb %.2f MiB, snapshot files %.2f MiB)", bytes(dir) / 1048576.0,
        (bytes(dir) - bytes(dir.resolve("raft-snapshots"))) / 1048576.0,
        bytes(dir.resolve("raft-snapshots")) / 1048576.0);
  }

  private static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void blocking(int keys) throws Exception {
    KvStateMachine kv = new KvStateMachine();
    byte[] value = new byte[32];
    for (int i = 0; i < keys; i++) {
      kv.apply(new KvCommand.Put(String.format("key-%09d", i), value));
    }
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "raftring-blockbench");
    SnapshotFiles files = new SnapshotFiles(dir, "bench");
    // KvSnapshot.write is package-private in kv (owned elsewhere); a benchmark may reach it reflectively.
    Method write = Class.forName("io.raftring.kv.KvSnapshot")
        .getDeclaredMethod("write", NavigableMap.class, long.class, OutputStream.class);
    write.setAccessible(true);
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      SnapshotFiles.Written sync = files.write(run, 1, kv::writeSnapshot);
      long syncMs = (System.nanoTime() - t0) / 1_000_000;

      long t1 = System.nanoTime();
      TreeMap<String, KeyValue> copy = new TreeMap<>(kv.entries());
      long revision = kv.revision();
      long copyMs = (System.nanoTime() - t1) / 1_000_000;
      long t2 = System.nanoTime();
      files.write(100 + run, 1, out -> {
        try {
          write.invoke(null, copy, revision, out);
        } catch (ReflectiveOperationException e) {
          throw new IOException(e);
        }
      });
      long offThreadMs = (System.nanoTime() - t2) / 1_000_000;
      System.out.printf("keys=%d snapshot %.1f MiB: synchronous writeSnapshot blocks %d ms; TreeMap copy blocks %d ms"
          + " (then %d ms writing off the actor)%n", keys, sync.sizeBytes() / 1048576.0, syncMs, copyMs, offThreadMs);
    }
    files.deleteAllBut(null, false);
  }
}
