package io.raftring.raft;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import com.typesafe.config.ConfigFactory;
import io.raftring.TestDirs;
import io.raftring.raft.ReplicaProtocol.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the replica behaviour tests share: an ActorTestKit with manual time, in-memory journal and snapshot store and
 * every message serialized (as it would be between nodes), and small asks of a replica.
 */
final class ReplicaTestKit {

  private ReplicaTestKit() {}

  /**
   * A test kit whose replicas keep their snapshot files in a fresh temporary directory, deleted when the kit's
   * system has terminated.
   */
  static ActorTestKit create(String name) {
    Path dir = tempDir(name);
    ActorTestKit kit = ActorTestKit.create(name, ManualTime.config()
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
        .withFallback(ConfigFactory.parseString(
            "raftring.raft.snapshot.dir = \"" + dir.toString().replace("\\", "/") + "\""))
        .withFallback(ConfigFactory.parseString("akka.actor.serialize-messages = on"))
        .withFallback(ConfigFactory.load()));
    kit.system().getWhenTerminated().thenRun(() -> TestDirs.delete(dir, true));
    return kit;
  }

  private static Path tempDir(String name) {
    try {
      return Files.createTempDirectory("raftring-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Spawns a replica and waits until it recovered: commands wait for recovery, so an answer means its election
   * timer is armed and manual time may pass.
   */
  static ActorRef<Command> spawnRecovered(ActorTestKit kit, Behavior<Command> replica) {
    ActorRef<Command> ref = kit.spawn(replica);
    status(kit, ref);
    return ref;
  }

  /**
   * Lets the election timer of {@code replica} ("n1") fire and answers, from n2, its pre-vote and its vote, with n3
   * seeing both requests: n1 then leads the next term.
   */
  static void elect(ManualTime time, ActorRef<Command> replica, TestProbe<Command> n2, TestProbe<Command> n3) {
    time.timePasses(RaftSettings.defaults().electionTimeoutMax());
    PeerMessage.RequestVote preVote = n2.expectMessageClass(PeerMessage.RequestVote.class);
    n3.expectMessageClass(PeerMessage.RequestVote.class);
    replica.tell(new PeerMessage.RequestVoteReply(preVote.term(), "n2", true, true));
    PeerMessage.RequestVote vote = n2.expectMessageClass(PeerMessage.RequestVote.class);
    n3.expectMessageClass(PeerMessage.RequestVote.class);
    replica.tell(new PeerMessage.RequestVoteReply(vote.term(), "n2", true, false));
  }

  /**
   * Returns once {@code replica} carried out everything it was told before: a status round trip, twice, since the
   * Ready an input causes is processed from the replica's own mailbox, after whatever was already there.
   */
  static void sync(ActorTestKit kit, ActorRef<Command> replica) {
    status(kit, replica);
    status(kit, replica);
  }

  /** The next message of {@code type} to {@code peer}, skipping others (heartbeats, the other RPC); bounded wait. */
  static <T extends Command> T next(TestProbe<Command> peer, Class<T> type) {
    for (int i = 0; i < 100; i++) {
      Command m = peer.receiveMessage(java.time.Duration.ofSeconds(5));
      if (type.isInstance(m)) {
        return type.cast(m);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in 100 messages");
  }

  /** Whatever {@code peer} received so far, without waiting. */
  static List<Command> received(TestProbe<Command> peer) {
    List<Command> all = new java.util.ArrayList<>();
    while (true) {
      try {
        all.add(peer.receiveMessage(java.time.Duration.ZERO));
      } catch (AssertionError none) {
        return all;
      }
    }
  }

  static ReplicaProtocol.Status status(ActorTestKit kit, ActorRef<Command> replica) {
    TestProbe<ReplicaProtocol.Status> probe = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  static List<LogEntry> log(ActorTestKit kit, ActorRef<Command> replica) {
    TestProbe<ReplicaProtocol.LogContents> probe = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.GetLog(probe.ref()));
    return probe.receiveMessage().entries();
  }
}
