package io.raftring.raft;

import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.ReceiveBuilder;
import io.raftring.raft.ReplicaProtocol.AddLearner;
import io.raftring.raft.ReplicaProtocol.Command;
import io.raftring.raft.ReplicaProtocol.GetLog;
import io.raftring.raft.ReplicaProtocol.GetStatus;
import io.raftring.raft.ReplicaProtocol.NotLeader;
import io.raftring.raft.ReplicaProtocol.PromoteLearner;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.RemoveServer;
import io.raftring.raft.ReplicaProtocol.Retire;
import io.raftring.raft.ReplicaProtocol.TransferLeadership;

/**
 * What every role's behaviour does alike: hand peer messages and storage reports to the core, carry out the core's
 * Ready and move to the behaviour of the role the core is in, answer status and log queries, serve stale reads, point
 * clients at the leader. A role's own class adds what only it does ({@link LeaderBehavior} takes proposals, strong
 * reads and membership changes) and its timer.
 */
abstract class RoleBehavior extends AbstractBehavior<Command> implements ReplicaDriver.Listener {

  protected final ReplicaDriver driver;
  /** The term this behaviour's role began in: a leadership or a candidacy belongs to one term. */
  protected final long term;

  RoleBehavior(ReplicaDriver driver) {
    super(driver.context);
    this.driver = driver;
    this.term = driver.core.term();
  }

  abstract RoleName role();

  /** What this role adds to the common handlers (its own first: they take precedence). */
  abstract ReceiveBuilder<Command> roleHandlers(ReceiveBuilder<Command> builder);

  @Override
  public final akka.actor.typed.javadsl.Receive<Command> createReceive() {
    return roleHandlers(newReceiveBuilder())
        .onMessageEquals(RaftReplica.Internal.PROCESS_READY, this::processReady)
        // Raft messages and storage reports are carried out at once: they are on the write path's critical path,
        // and the core batches what matters anyway (one write in flight; client requests wait for the next Ready).
        .onMessage(PeerMessage.class, m -> {
          driver.core.step(m);
          return processReady();
        })
        .onMessage(ReplicaLog.Persisted.class, p -> {
          driver.core.persisted(p.write());
          return processReady();
        })
        .onMessage(RaftReplica.SnapshotWritten.class, m -> {
          driver.snapshotWritten(m);
          return this;
        })
        .onMessage(RaftReplica.SnapshotWriteFailed.class, m -> {
          driver.snapshotWriteFailed(m);
          return this;
        })
        .onMessage(ReplicaProtocol.PeerUnreachable.class, m -> {
          driver.core.peerUnreachable(m.node());
          return processReady();
        })
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(driver.status());
          return this;
        })
        .onMessage(GetLog.class, m -> {
          m.replyTo().tell(driver.logContents());
          return this;
        })
        .onMessage(Read.class, this::onRead)
        .onMessage(Propose.class, m -> {
          m.replyTo().tell(new NotLeader(driver.core.leader()));
          return this;
        })
        .onMessage(AddLearner.class, m -> notLeader(m.replyTo()))
        .onMessage(PromoteLearner.class, m -> notLeader(m.replyTo()))
        .onMessage(RemoveServer.class, m -> notLeader(m.replyTo()))
        .onMessage(TransferLeadership.class, m -> {
          String leader = driver.core.leader();
          m.replyTo().tell(m.node().equals(leader) ? new ReplicaProtocol.TransferDone(leader) : new NotLeader(leader));
          return this;
        })
        .onMessageEquals(Retire.INSTANCE, () -> {
          getContext().getLog().info("{} is not in its group's configuration any more; retiring", driver.id);
          return stop();
        })
        // Timer messages of another role's behaviour that were on their way when the role changed.
        .onMessage(RaftReplica.Internal.class, m -> this)
        .onSignal(Terminated.class, t -> stop())
        .build();
  }

  private Behavior<Command> notLeader(akka.actor.typed.ActorRef<ReplicaProtocol.ChangeReply> replyTo) {
    replyTo.tell(new NotLeader(driver.core.leader()));
    return this;
  }

  /** Stale reads are served by any replica from what it applied; strong reads only by the leader. */
  Behavior<Command> onRead(Read m) {
    if (m.consistency() == ReadConsistency.STALE) {
      driver.serve(m);
    } else {
      m.replyTo().tell(new NotLeader(driver.core.leader()));
    }
    return this;
  }

  /**
   * A follower's or candidate's randomized election timer fired (section 5.2): the core's tick, and the timer armed
   * again. A timer armed for a role the core has since left does nothing; the next behaviour arms its own.
   */
  Behavior<Command> onElectionTimeout() {
    if (driver.core.roleName() != role() || driver.core.term() != term) {
      return this;
    }
    driver.core.tick();
    driver.startElectionTimer();
    return processReady();
  }

  /** Work the role batches until the Ready (the leader's client queue). */
  void beforeReady() {}

  /** Carries out the core's Ready and returns the behaviour of the role the core is in now. */
  Behavior<Command> processReady() {
    beforeReady();
    driver.processReady(this);
    RoleName now = driver.core.roleName();
    if (now == role() && driver.core.term() == term) {
      return this;
    }
    onExit();
    return switch (now) {
      case FOLLOWER -> FollowerBehavior.create(driver);
      case CANDIDATE -> CandidateBehavior.create(driver);
      case LEADER -> LeaderBehavior.create(driver);
    };
  }

  /** The role ends: answer whoever waits on it. */
  void onExit() {}

  @Override
  public void applied(LogEntry entry, byte[] result) {}

  @Override
  public void transferEnded(Ready.TransferEnded ended) {}

  private Behavior<Command> stop() {
    onExit();
    driver.stop();
    return Behaviors.stopped();
  }
}
