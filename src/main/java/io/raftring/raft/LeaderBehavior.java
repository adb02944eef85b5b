package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.ReceiveBuilder;
import io.raftring.raft.ReplicaProtocol.AddLearner;
import io.raftring.raft.ReplicaProtocol.ChangeReply;
import io.raftring.raft.ReplicaProtocol.Command;
import io.raftring.raft.ReplicaProtocol.PromoteLearner;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.ProposeReply;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.Rejected;
import io.raftring.raft.ReplicaProtocol.RemoveServer;
import io.raftring.raft.ReplicaProtocol.TransferLeadership;
import io.raftring.raft.ReplicaProtocol.Unknown;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A leader's behaviour: its heartbeat timer, and the clients. Proposals and strong reads that arrive between two
 * Readys are gathered ({@link ClientQueue}) and handed to the core together, so a burst is one append, one
 * AppendEntries per follower and one write; the leader keeps taking them while its own write is in flight. Each
 * proposer is answered once its entry is applied ({@link ReplicaProtocol.Applied}), or, if leadership ends first,
 * told the outcome is unknown. Membership changes and leadership transfers are answered when they complete. What a
 * leader does with Raft messages is the core's {@link Leader}.
 */
final class LeaderBehavior extends RoleBehavior {

  static final Rejected QUEUE_FULL = new Rejected("replica queue full");
  static final Rejected QUEUE_DEADLINE_PASSED =
      new Rejected("waited in the replica queue past the queue deadline");
  static final Rejected TOO_MANY_PROPOSALS = new Rejected("too many proposals awaiting commit");
  static final Rejected TOO_MANY_READS = new Rejected("too many reads awaiting confirmation");

  /** A client waiting for its entry, appended at its index in this leader's term. */
  private final Map<Long, ActorRef<ProposeReply>> awaitingApply = new HashMap<>();
  private final ClientQueue<Command> queue;
  /** The configuration change appended and not yet applied, and who waits for it; 0/null when none. */
  private long pendingChangeIndex;
  private ActorRef<ChangeReply> pendingChangeReply;
  /** Who asked for the leadership transfer in progress; null when none. */
  private ActorRef<ChangeReply> transferReply;

  static Behavior<Command> create(ReplicaDriver driver) {
    return Behaviors.setup(ctx -> new LeaderBehavior(driver));
  }

  private LeaderBehavior(ReplicaDriver driver) {
    super(driver);
    RaftSettings s = driver.settings;
    queue = new ClientQueue<>(s.maxPendingProposals() + s.maxPendingReads(), s.clientQueueDeadline().toNanos());
    driver.startHeartbeat();
    getContext().getLog().info("{} leads term {}", driver.id, term);
  }

  @Override
  RoleName role() {
    return RoleName.LEADER;
  }

  @Override
  ReceiveBuilder<Command> roleHandlers(ReceiveBuilder<Command> builder) {
    return builder
        .onMessageEquals(RaftReplica.Internal.HEARTBEAT, this::onHeartbeat)
        .onMessage(Propose.class, this::enqueue)
        .onMessage(AddLearner.class, m -> change(MembershipRules.Change.ADD_LEARNER, m.node(), m.replyTo()))
        .onMessage(PromoteLearner.class, m -> change(MembershipRules.Change.PROMOTE_LEARNER, m.node(), m.replyTo()))
        .onMessage(RemoveServer.class, m -> change(MembershipRules.Change.REMOVE_SERVER, m.node(), m.replyTo()))
        .onMessage(TransferLeadership.class, this::onTransferLeadership);
  }

  private Behavior<Command> onHeartbeat() {
    if (driver.core.roleName() != RoleName.LEADER || driver.core.term() != term) {
      return this;
    }
    driver.heartbeatFired();
    driver.core.tick();
    return processReady();
  }

  /** Section 6.4: strong reads wait in the queue like proposals; stale ones are served at once. */
  @Override
  Behavior<Command> onRead(Read m) {
    return m.consistency() == ReadConsistency.STALE ? super.onRead(m) : enqueue(m);
  }

  private Behavior<Command> enqueue(Command request) {
    if (!queue.offer(request, driver.nanoClock.getAsLong())) {
      refuse(request, QUEUE_FULL);
    }
    driver.scheduleReady();
    return this;
  }

  /** Everything queued since the last Ready goes to the core now: proposals as one batch of entries. */
  @Override
  void beforeReady() {
    if (queue.isEmpty()) {
      return;
    }
    List<Command> requests = queue.drain(driver.nanoClock.getAsLong(), r -> refuse(r, QUEUE_DEADLINE_PASSED));
    List<Propose> proposals = new ArrayList<>(requests.size());
    for (Command request : requests) {
      if (request instanceof Propose p) {
        if (awaitingApply.size() + proposals.size() >= driver.settings.maxPendingProposals()) {
          p.replyTo().tell(TOO_MANY_PROPOSALS);
        } else {
          proposals.add(p);
        }
      } else if (request instanceof Read r) {
        switch (driver.core.readIndex(r, r.consistency() == ReadConsistency.LEASE)) {
          case TOO_MANY -> r.replyTo().tell(TOO_MANY_READS);
          case NOT_LEADER -> r.replyTo().tell(new ReplicaProtocol.NotLeader(null));
          default -> { }
        }
      }
    }
    if (proposals.isEmpty()) {
      return;
    }
    List<byte[]> commands = new ArrayList<>(proposals.size());
    proposals.forEach(p -> commands.add(p.command()));
    long first = driver.core.propose(commands);
    for (int i = 0; i < proposals.size(); i++) {
      if (first == RaftCore.NOT_APPENDED) {
        // Handing over leadership (section 3.10), or no longer leading: nothing was appended; retry elsewhere.
        proposals.get(i).replyTo().tell(new ReplicaProtocol.NotLeader(
            driver.core.roleName() == RoleName.LEADER ? null : driver.core.leader()));
      } else {
        awaitingApply.put(first + i, proposals.get(i).replyTo());
      }
    }
  }

  private static void refuse(Command request, Rejected reason) {
    if (request instanceof Propose p) {
      p.replyTo().tell(reason);
    } else if (request instanceof Read r) {
      r.replyTo().tell(reason);
    }
  }

  /** An entry this leader appended is applied: its proposer gets the result. */
  @Override
  public void applied(LogEntry entry, byte[] result) {
    if (entry.term() == term) {
      ActorRef<ProposeReply> replyTo = awaitingApply.remove(entry.index());
      if (replyTo != null) {
        replyTo.tell(new ReplicaProtocol.Applied(entry.index(), result));
      }
    }
    if (entry.index() == pendingChangeIndex && entry.term() == term) {
      Configuration done = driver.core.log().configurationAt(entry.index());
      pendingChangeReply.tell(new ReplicaProtocol.ChangeDone(entry.index(), done.voters(), done.learners()));
      getContext().getLog().info("{} configuration committed at {}: {}", driver.id, entry.index(), done);
      pendingChangeIndex = 0;
      pendingChangeReply = null;
    }
  }

  // ---- membership changes (dissertation chapter 4) and leadership transfer (section 3.10) -------------------------

  private Behavior<Command> change(MembershipRules.Change change, String node, ActorRef<ChangeReply> replyTo) {
    RaftCore.ChangeResult result = driver.core.proposeChange(change, node);
    if (result instanceof RaftCore.ChangeAppended appended) {
      pendingChangeIndex = appended.index();
      pendingChangeReply = replyTo;
    } else {
      replyTo.tell(answer(result));
    }
    driver.scheduleReady();
    return this;
  }

  private Behavior<Command> onTransferLeadership(TransferLeadership m) {
    RaftCore.ChangeResult result = driver.core.transferLeadership(m.node());
    if (result == null) {
      transferReply = m.replyTo();
    } else if (result instanceof RaftCore.ChangeInEffect) {
      m.replyTo().tell(new ReplicaProtocol.TransferDone(m.node()));
    } else {
      m.replyTo().tell(answer(result));
    }
    driver.scheduleReady();
    return this;
  }

  private static ChangeReply answer(RaftCore.ChangeResult result) {
    if (result instanceof RaftCore.ChangeRefused r) {
      return new ReplicaProtocol.ChangeRejected(r.code(), r.message());
    }
    if (result instanceof RaftCore.ChangeInEffect e) {
      return new ReplicaProtocol.ChangeDone(e.index(), e.configuration().voters(), e.configuration().learners());
    }
    return new ReplicaProtocol.NotLeader(((RaftCore.ChangeNotLeader) result).leaderHint());
  }

  @Override
  public void transferEnded(Ready.TransferEnded ended) {
    if (transferReply == null) {
      return;
    }
    transferReply.tell(switch (ended.outcome()) {
      case HANDED_OVER -> new ReplicaProtocol.TransferDone(ended.target());
      case TIMED_OUT -> new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.TIMEOUT,
          "leadership transfer to " + ended.target() + " did not complete within an election timeout; the leader"
              + " leads on");
      case LOST -> new Unknown("leadership was lost during the transfer to " + ended.target());
    });
    transferReply = null;
  }

  /** Leadership ended: appended entries may still commit under the next leader, so their outcome is unknown. */
  @Override
  void onExit() {
    String hint = driver.core.leader();
    queue.takeAll().forEach(r -> {
      if (r instanceof Propose p) {
        p.replyTo().tell(new ReplicaProtocol.NotLeader(hint));
      } else if (r instanceof Read read) {
        read.replyTo().tell(new ReplicaProtocol.NotLeader(hint));
      }
    });
    awaitingApply.values().forEach(r -> r.tell(new Unknown("leadership lost before the entry applied")));
    awaitingApply.clear();
    if (pendingChangeReply != null) {
      pendingChangeReply.tell(new Unknown(
          "leadership was lost before the configuration change committed; it may still take effect"));
      pendingChangeReply = null;
    }
    if (transferReply != null) {
      transferReply.tell(new Unknown("leadership was lost during the transfer"));
      transferReply = null;
    }
  }
}
