package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.AskPattern;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.cluster.GroupTestCluster.Node;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvStateMachine;
import io.raftring.raft.RaftSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Section 7 end to end: three ActorSystems host one group of KV replicas on RocksDB in temporary directories. A
 * follower is stopped while 10,000 writes are applied and compacted (a snapshot every 1,000 entries), so when it
 * comes back the entries it lacks exist only in the leader's snapshot: it catches up by InstallSnapshot (in 4 KiB
 * chunks) and ends with exactly the leader's keys, values and revisions.
 */
class SnapshotCatchUpClusterTest {

  private static final int WRITES = 10_000;
  private static final int KEYS = 500;
  private static final RaftSettings SETTINGS =
      RaftSettings.defaults().withSnapshotThresholds(1_000, 64L << 20).withSnapshotChunks(4096, 4);

  private final GroupTestCluster<KvStateMachine> cluster = new GroupTestCluster<>(SETTINGS, KvStateMachine::new);

  @AfterEach
  void stopAll() {
    cluster.close();
  }

  /**
   * Writes {@code WRITES} puts over {@code KEYS} keys, 1,000 in flight at a time, to whichever survivor leads. On a
   * busy machine leadership may move meanwhile; what was refused (or whose outcome is unknown) is sent again to the
   * new leader, so a put may apply twice, which changes revisions but not the comparison of the replicas.
   */
  private void writeAll(List<Node<KvStateMachine>> live) {
    for (int wave = 0; wave < WRITES; wave += 1_000) {
      List<Integer> pending = new ArrayList<>();
      for (int i = wave; i < wave + 1_000; i++) {
        pending.add(i);
      }
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        assertThat(attempt).as("writes keep failing").isLessThan(10);
        Node<KvStateMachine> leader = cluster.awaitLeader(live);
        List<CompletableFuture<ReplicaProtocol.ProposeReply>> replies = new ArrayList<>();
        for (int i : pending) {
          byte[] command = KvCodec.encode(new KvCommand.Put("key-" + (i % KEYS),
              ("value-" + i).getBytes(StandardCharsets.UTF_8)));
          replies.add(AskPattern.<ReplicaProtocol.Command, ReplicaProtocol.ProposeReply>ask(leader.replica,
                  replyTo -> new ReplicaProtocol.Propose(command, replyTo), Duration.ofSeconds(20),
                  leader.system.scheduler())
              .toCompletableFuture());
        }
        List<Integer> failed = new ArrayList<>();
        for (int k = 0; k < replies.size(); k++) {
          ReplicaProtocol.ProposeReply reply = replies.get(k).exceptionally(e -> null).join();
          if (!(reply instanceof ReplicaProtocol.Applied)) {
            failed.add(pending.get(k));
          }
        }
        pending = failed;
      }
    }
  }

  @Test
  void aFollowerStoppedWhileTheLogWasCompactedCatchesUpBySnapshotWithIdenticalState() throws Exception {
    List<Node<KvStateMachine>> all = cluster.startAll("raftring-snap-");
    Node<KvStateMachine> leader = cluster.awaitLeader(all);

    // Stop a follower.
    Node<KvStateMachine> lost = all.stream().filter(n -> n != leader).findFirst().orElseThrow();
    long lostLastIndex = cluster.status(lost).lastIndex();
    cluster.stop(lost);
    List<Node<KvStateMachine>> survivors = all.stream().filter(n -> n != lost).toList();

    writeAll(survivors);
    TestProbe<Object> probe = cluster.probe();
    probe.awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      for (Node<KvStateMachine> n : survivors) {
        assertThat(cluster.status(n).snapshotIndex()).as("compacted on %s", n.name).isGreaterThanOrEqualTo(9_000);
      }
      return null;
    });
    Node<KvStateMachine> leaderNow = cluster.awaitLeader(survivors);
    ReplicaProtocol.Status leaderStatus = cluster.status(leaderNow);

    // The lost node comes back from its own data directory; what it lacks is compacted on every survivor.
    Node<KvStateMachine> restarted = cluster.start(lost.name, lost.dataDir, GroupTestCluster.addressOf(leaderNow));
    probe.awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      ReplicaProtocol.Status s = cluster.status(restarted);
      assertThat(s.lastApplied()).isGreaterThanOrEqualTo(leaderStatus.commitIndex());
      assertThat(s.snapshotIndex()).as("caught up by snapshot").isGreaterThan(lostLastIndex);
      return null;
    });
    KvStateMachine expected = leaderNow.machine;
    probe.awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      assertThat(cluster.status(restarted).lastApplied()).isEqualTo(cluster.status(leaderNow).lastApplied());
      assertThat(restarted.machine.revision()).isEqualTo(expected.revision()).isGreaterThanOrEqualTo(WRITES);
      assertThat(restarted.machine.entries()).isEqualTo(expected.entries());
      return null;
    });
    assertThat(restarted.machine.size()).isEqualTo(KEYS);
    assertThat(restarted.machine.get("key-7").orElseThrow().modRevision())
        .isEqualTo(expected.get("key-7").orElseThrow().modRevision());
  }
}
