package io.raftring.cluster;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.cluster.GroupTestCluster.Node;
import io.raftring.raft.RaftSettings;
import io.raftring.raft.RecordingStateMachine;
import io.raftring.raft.RoleName;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One Raft group on ActorSystems in this JVM (Cluster Sharding, RocksDB) grows from three voters to five and shrinks
 * back to three, one single-server change at a time, while several clients write: every acknowledged write is applied
 * on the final voters, the configuration ends as asked, and no term ever has two leaders (every status read, polled
 * throughout, is checked).
 */
class MembershipClusterTest {

  private final GroupTestCluster<RecordingStateMachine> cluster =
      new GroupTestCluster<>(RaftSettings.defaults().withSnapshotThresholds(200, 64L * 1024 * 1024),
          RecordingStateMachine::new);
  private final List<Node<RecordingStateMachine>> live = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @AfterEach
  void stopAll() {
    running.set(false);
    cluster.close();
  }

  private Node<RecordingStateMachine> leader() {
    return cluster.awaitLeader(List.copyOf(live));
  }

  private static <T> T ask(Node<?> node, akka.japi.function.Function<ActorRef<T>, ReplicaProtocol.Command> message) {
    return AskPattern.ask(node.replica, message, Duration.ofSeconds(5), node.system.scheduler())
        .toCompletableFuture().orTimeout(6, TimeUnit.SECONDS).join();
  }

  /** Asks the leader for a change until it is committed, waiting out NOT_READY, CONFLICT and leader changes. */
  private ReplicaProtocol.ChangeDone change(
      akka.japi.function.Function<ActorRef<ReplicaProtocol.ChangeReply>, ReplicaProtocol.Command> request) {
    return cluster.probe().awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(100), () -> {
      ReplicaProtocol.ChangeReply reply = ask(leader(), request);
      assertThat(reply).isInstanceOf(ReplicaProtocol.ChangeDone.class);
      return (ReplicaProtocol.ChangeDone) reply;
    });
  }

  @Test
  void aGroupGrowsFromThreeToFiveAndShrinksBackUnderContinuousWrites() throws Exception {
    Node<RecordingStateMachine> n1 = cluster.start("n1", Files.createTempDirectory("raftring-m-n1"), null);
    Address seed = GroupTestCluster.addressOf(n1);
    live.add(n1);
    live.add(cluster.start("n2", Files.createTempDirectory("raftring-m-n2"), seed));
    live.add(cluster.start("n3", Files.createTempDirectory("raftring-m-n3"), seed));
    leader();

    // Several clients write all along; only what was acknowledged as applied is counted.
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicInteger sequence = new AtomicInteger();
    List<Thread> writers = new CopyOnWriteArrayList<>();
    for (int c = 0; c < 3; c++) {
      Thread writer = new Thread(() -> {
        Node<RecordingStateMachine> target = null;
        while (running.get()) {
          try {
            if (target == null) {
              target = leader();
            }
            String command = "w" + sequence.incrementAndGet();
            Node<RecordingStateMachine> to = target;
            ReplicaProtocol.ProposeReply reply = AskPattern.<ReplicaProtocol.Command, ReplicaProtocol.ProposeReply>ask(
                    to.replica, r -> new ReplicaProtocol.Propose(bytes(command), r), Duration.ofSeconds(3),
                    to.system.scheduler())
                .toCompletableFuture().orTimeout(4, TimeUnit.SECONDS).join();
            if (reply instanceof ReplicaProtocol.Applied) {
              acknowledged.add(command);
            } else {
              // Not the leader (any more): the next round finds the leader again, waiting for one if need be.
              target = null;
            }
          } catch (Throwable e) {
            target = null;
          }
        }
      }, "writer-" + c);
      writers.add(writer);
      writer.start();
    }
    // A (term, leader) record from every replica, all along: GroupTestCluster.status checks each one.
    Thread recorder = new Thread(() -> {
      while (running.get()) {
        for (Node<RecordingStateMachine> n : live) {
          try {
            cluster.status(n);
          } catch (AssertionError safetyViolation) {
            throw safetyViolation;
          } catch (Throwable unreachable) {
            // a node being stopped
          }
        }
      }
    }, "term-recorder");
    recorder.start();
    awaitMoreWrites(acknowledged, 20);

    // Grow: each newcomer joins as a learner with an empty log, catches up, and is promoted.
    for (String name : List.of("n4", "n5")) {
      Node<RecordingStateMachine> newcomer = cluster.start(name, Files.createTempDirectory("raftring-m-" + name), seed);
      live.add(newcomer);
      ReplicaProtocol.ChangeDone added = change(r -> new ReplicaProtocol.AddLearner(name, r));
      assertThat(added.learners()).contains(name);
      ReplicaProtocol.ChangeDone promoted = change(r -> new ReplicaProtocol.PromoteLearner(name, r));
      assertThat(promoted.voters()).contains(name);
      awaitMoreWrites(acknowledged, 10);
    }
    assertThat(cluster.status(leader()).voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4", "n5");

    // Shrink: remove n1 and n2 (whichever leads is removed too, and hands over), then stop them.
    for (String name : List.of("n1", "n2")) {
      ReplicaProtocol.ChangeDone removed = change(r -> new ReplicaProtocol.RemoveServer(name, r));
      assertThat(removed.voters()).doesNotContain(name);
      Node<RecordingStateMachine> gone = live.stream().filter(n -> n.name.equals(name)).findFirst().orElseThrow();
      live.remove(gone);
      awaitMoreWrites(acknowledged, 10);
      if (gone != n1) {
        cluster.stop(gone);
      }
    }
    awaitMoreWrites(acknowledged, 20);
    running.set(false);
    for (Thread w : writers) {
      w.join(10_000);
    }
    recorder.join(10_000);

    Node<RecordingStateMachine> finalLeader = leader();
    assertThat(cluster.status(finalLeader).voters()).containsExactlyInAnyOrder("n3", "n4", "n5");
    assertThat(acknowledged).hasSizeGreaterThan(50);
    cluster.probe().awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(200), () -> {
      for (Node<RecordingStateMachine> n : live) {
        assertThat(n.machine.applied).as("applied on %s", n.name).containsAll(acknowledged);
        assertThat(Set.copyOf(n.machine.applied)).as("nothing applied twice on %s", n.name)
            .hasSize(n.machine.applied.size());
        assertThat(cluster.status(n).voters()).containsExactlyInAnyOrder("n3", "n4", "n5");
      }
      return null;
    });
    for (Node<RecordingStateMachine> n : live) {
      assertThat(cluster.status(n).role()).isIn(RoleName.LEADER, RoleName.FOLLOWER);
    }
    System.out.printf("membership cluster test: %d writes acknowledged while growing 3 -> 5 -> 3%n",
        acknowledged.size());
  }

  /** Lets the writers make progress between membership changes: waits until {@code count} more writes were acknowledged. */
  private void awaitMoreWrites(java.util.Collection<String> acknowledged, int count) {
    int before = acknowledged.size();
    cluster.probe().awaitAssert(GroupTestCluster.AWAIT, Duration.ofMillis(20), () -> {
      assertThat(acknowledged.size()).isGreaterThanOrEqualTo(before + count);
      return null;
    });
  }
}
