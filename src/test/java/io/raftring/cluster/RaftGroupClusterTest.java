package io.raftring.cluster;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.javadsl.AskPattern;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.cluster.GroupTestCluster.Node;
import io.raftring.raft.LogEntry;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.RecordingStateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three ActorSystems joined in one Akka cluster host one Raft group, each replica a sharded entity pinned to its own
 * node, on RocksDB in temporary directories: the replicas elect one leader per term, replicate and apply in one
 * order, survive the loss of the leader's node, and the restarted node catches up from its own data directory.
 */
class RaftGroupClusterTest {

  private final GroupTestCluster<RecordingStateMachine> cluster =
      new GroupTestCluster<>(RaftSettings.defaults(), RecordingStateMachine::new);

  @AfterEach
  void stopAll() {
    cluster.close();
  }

  private static List<ReplicaProtocol.ProposeReply> proposeAll(Node<?> leader, String prefix, int count) {
    List<CompletableFuture<ReplicaProtocol.ProposeReply>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] command = bytes(prefix + i);
      replies.add(AskPattern.<ReplicaProtocol.Command, ReplicaProtocol.ProposeReply>ask(leader.replica,
              replyTo -> new ReplicaProtocol.Propose(command, replyTo), Duration.ofSeconds(20), leader.system.scheduler())
          .toCompletableFuture());
    }
    return replies.stream().map(f -> f.orTimeout(25, TimeUnit.SECONDS).join()).collect(Collectors.toList());
  }

  private void awaitSameAppliedEverywhere(List<Node<RecordingStateMachine>> live, int expectedCommands) {
    cluster.probe().awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      List<String> reference = live.get(0).machine.applied;
      assertThat(reference).hasSize(expectedCommands);
      for (Node<RecordingStateMachine> n : live) {
        assertThat(n.machine.applied).as("applied on %s", n.name).isEqualTo(reference);
      }
      return null;
    });
  }

  @Test
  void aGroupOfThreeReplicatesSurvivesItsLeadersLossAndTheRestartedNodeCatchesUp() throws Exception {
    List<Node<RecordingStateMachine>> all = cluster.startAll("raftring-");

    // One leader; 1,000 proposals all applied, in one order, on every replica.
    Node<RecordingStateMachine> leader = cluster.awaitLeader(all);
    List<ReplicaProtocol.ProposeReply> replies = proposeAll(leader, "a", 1000);
    assertThat(replies).allMatch(r -> r instanceof ReplicaProtocol.Applied);
    awaitSameAppliedEverywhere(all, 1000);
    List<String> committedBefore = List.copyOf(leader.machine.applied);

    // Lose the leader's whole node: the other two elect a new leader that has every committed entry.
    Path lostDir = leader.dataDir;
    String lostName = leader.name;
    cluster.stop(leader);
    List<Node<RecordingStateMachine>> survivors = all.stream().filter(n -> n != leader).collect(Collectors.toList());
    Node<RecordingStateMachine> newLeader = cluster.awaitLeader(survivors);
    assertThat(newLeader.name).isNotEqualTo(lostName);
    assertThat(proposeAll(newLeader, "b", 100)).allMatch(r -> r instanceof ReplicaProtocol.Applied);
    awaitSameAppliedEverywhere(survivors, 1100);
    assertThat(newLeader.machine.applied.subList(0, 1000)).isEqualTo(committedBefore);

    // Restart the lost node from its data directory: it rejoins and catches up; logs end identical.
    Node<RecordingStateMachine> restarted =
        cluster.start(lostName, lostDir, GroupTestCluster.addressOf(survivors.get(0)));
    List<Node<RecordingStateMachine>> live = new ArrayList<>(survivors);
    live.add(restarted);
    awaitSameAppliedEverywhere(live, 1100);
    cluster.probe().awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      List<LogEntry> reference = cluster.logOf(newLeader);
      for (Node<RecordingStateMachine> n : live) {
        assertThat(cluster.logOf(n)).as("log of %s", n.name).isEqualTo(reference);
      }
      return null;
    });

    // Every leader appends exactly one NO-OP in its term: two NO-OPs of one term would mean two leaders.
    Map<Long, Long> noopsPerTerm = cluster.logOf(newLeader).stream()
        .filter(e -> e.kind() == LogEntry.Kind.NOOP)
        .collect(Collectors.groupingBy(LogEntry::term, Collectors.counting()));
    assertThat(noopsPerTerm.values()).allMatch(count -> count == 1);
    for (Node<RecordingStateMachine> n : live) {
      cluster.status(n);
    }
  }

  /**
   * The replicas run on a dispatcher of their own: with every thread of every node's default dispatcher held (where
   * HTTP streams, watches and leases run), the leader keeps its term, and proposals commit and apply on all three.
   */
  @Test
  void replicasKeepTheirLeaderAndCommitWhileEveryNodesDefaultDispatcherIsHeld() throws Exception {
    List<Node<RecordingStateMachine>> all = cluster.startAll("raftring-");
    Node<RecordingStateMachine> leader = cluster.awaitLeader(all);
    assertThat(proposeAll(leader, "before", 10)).allMatch(r -> r instanceof ReplicaProtocol.Applied);
    long term = cluster.status(leader).term();

    List<DefaultDispatcherHold> holds = new ArrayList<>();
    try {
      for (Node<RecordingStateMachine> n : all) {
        holds.add(DefaultDispatcherHold.of(n.system));
      }
      assertThat(proposeAll(leader, "held", 500)).allMatch(r -> r instanceof ReplicaProtocol.Applied);
      awaitSameAppliedEverywhere(all, 510);
      ReplicaProtocol.Status status = cluster.status(leader);
      assertThat(status.role()).isEqualTo(io.raftring.raft.RoleName.LEADER);
      assertThat(status.term()).isEqualTo(term);
      assertThat(holds).noneMatch(DefaultDispatcherHold::laterTaskRan);
    } finally {
      holds.forEach(DefaultDispatcherHold::close);
    }
  }
}
