package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.ProposeReply;
import io.raftring.raft.ReplicaProtocol.Read;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A leader replicates its log (section 5.3), commits by majority under the current-term rule (section 5.4.2), and
 * steps down when it has not heard from a majority for an election timeout (check-quorum, section 6.2).
 *
 * <p>Proposals are batched: they queue while a write is in flight and go out together in the next append (group
 * commit). The leader sends new entries to followers before its own write completes and counts itself toward a
 * majority only once that write is durable.
 */
final class LeaderRole extends Role {

  private final Map<String, Progress> progress = new LinkedHashMap<>();
  /** Snapshots being sent, by follower (those in SNAPSHOT mode). */
  private final Map<String, SnapshotFileTransfer> transfers = new HashMap<>();
  /** Highest index of this leader's own log that is durable. */
  private long selfMatchIndex;
  /** Client replies owed once the entry at the key index is applied. */
  private final Map<Long, ActorRef<ProposeReply>> awaitingApply = new HashMap<>();

  /** The index of this term's NO-OP: until it commits, this leader does not know the full commit index. */
  private long noopIndex = Long.MAX_VALUE;
  /** The latest heartbeat round; every AppendEntries carries the round current when it was sent. */
  private long round;
  /** When each round not yet confirmed by a majority was started (nanoTime), for the lease. */
  private final TreeMap<Long, Long> roundStartedNanos = new TreeMap<>();
  private long confirmedRound;
  private long leaseExpiresNanos = Long.MIN_VALUE;
  private boolean readRoundScheduled;
  private final ReadIndexQueue<Read> reads = new ReadIndexQueue<>();
  /** Strong reads that arrived before this term's NO-OP committed. */
  private final List<Read> awaitingNoop = new ArrayList<>();

  /** Whether this replica still leads: a leader that stepped down mid-handler sends nothing more. */
  private boolean active = true;
  /** How far each learner is from being caught up (dissertation section 4.2.1). */
  private final Map<String, CatchUp> catchUp = new HashMap<>();
  /** The configuration change appended and not yet committed, and who waits for it; 0/null when none. */
  private long pendingChangeIndex;
  private ActorRef<ReplicaProtocol.ChangeReply> pendingChangeReply;
  /** The voter leadership is being handed to, and who asked; null when none (dissertation section 3.10). */
  private String transferTarget;
  private ActorRef<ReplicaProtocol.ChangeReply> transferReply;
  private boolean timeoutNowSent;

  LeaderRole(RaftReplica replica) {
    super(replica);
    selfMatchIndex = state.log.lastIndex();
    syncWithConfiguration(false);
  }

  /**
   * The configuration in force decides whom this leader replicates to: new members get a progress (probing from the
   * end of the log, at once if {@code probeNew}), removed ones lose theirs, and every learner has a catch-up tracker.
   */
  private void syncWithConfiguration(boolean probeNew) {
    Configuration configuration = replica.configuration();
    long next = state.log.lastIndex() + 1;
    for (String peer : replica.otherMembers()) {
      if (!progress.containsKey(peer)) {
        Progress p = new Progress(next, replica.settings().maxInflightAppends());
        progress.put(peer, p);
        if (probeNew) {
          // An empty append at the end of the log: the newcomer's answer says where its log ends.
          sendAppend(peer, p);
        }
      }
    }
    for (String peer : List.copyOf(progress.keySet())) {
      if (!configuration.isMember(peer)) {
        progress.remove(peer);
        closeTransfer(peer);
      }
    }
    catchUp.keySet().removeIf(peer -> !configuration.isLearner(peer));
    for (String learner : configuration.learners()) {
      catchUp.computeIfAbsent(learner, l -> new CatchUp(state.log.lastIndex(), replica.nanoTime(),
          replica.settings().electionTimeoutMin().toNanos()));
    }
  }

  @Override
  RoleName name() {
    return RoleName.LEADER;
  }

  @Override
  boolean hearsFromLeader() {
    return true;
  }

  /** Section 5.4.3: every leader starts its term with a NO-OP, so it learns what is committed from earlier terms. */
  Effect<RaftEvent, RaftState> start() {
    replica.startLeaderTimers();
    noopIndex = state.log.lastIndex() + 1;
    return append(List.of(LogEntry.noop(noopIndex, state.currentTerm)));
  }

  /** Election Safety: two leaders in one term cannot happen; if it seems to, something else is broken. */
  @Override
  Effect<RaftEvent, RaftState> onAppendEntries(AppendEntries m) {
    replica.log().error("leader of term {} got AppendEntries from {} for the same term; ignored", m.term(), m.from());
    return replica.effects().none();
  }

  @Override
  Effect<RaftEvent, RaftState> onAppendEntriesReply(AppendEntriesReply m) {
    Progress p = progress.get(m.from());
    if (p == null) {
      return replica.effects().none();
    }
    // Any answer of this term, success or not, shows the follower still takes this leader's messages.
    p.onRoundAcked(m.round());
    updateConfirmedRound();
    if (m.success()) {
      if (p.onAck(m.matchIndex())) {
        maybeCommit();
      }
      onFollowerProgress(m.from(), p);
    } else {
      long lastOfTerm = m.conflictTerm() > 0 ? state.log.lastIndexOfTerm(m.conflictTerm()) : -1;
      p.onReject(m.rejectedPrevIndex(), m.conflictIndex(), m.conflictTerm(), lastOfTerm);
    }
    sendWhileAllowed(m.from(), p);
    return replica.effects().none();
  }

  /** Election Safety, as for AppendEntries. */
  @Override
  Effect<RaftEvent, RaftState> onInstallSnapshot(InstallSnapshot m) {
    replica.log().error("leader of term {} got InstallSnapshot from {} for the same term; ignored", m.term(), m.from());
    return replica.effects().none();
  }

  /** Section 7: the follower holds so much of the snapshot, or installed it; send on, resume, or start over. */
  @Override
  Effect<RaftEvent, RaftState> onInstallSnapshotReply(InstallSnapshotReply m) {
    Progress p = progress.get(m.from());
    if (p == null) {
      return replica.effects().none();
    }
    p.markActive();
    if (m.installed()) {
      boolean grew;
      if (p.mode() == Progress.Mode.SNAPSHOT && m.lastIncludedIndex() < p.pendingSnapshotIndex()) {
        grew = p.onAck(m.lastIncludedIndex());
      } else {
        closeTransfer(m.from());
        grew = p.onSnapshotInstalled(m.lastIncludedIndex());
      }
      if (grew) {
        maybeCommit();
      }
      onFollowerProgress(m.from(), p);
      sendWhileAllowed(m.from(), p);
      return replica.effects().none();
    }
    SnapshotFileTransfer transfer = transfers.get(m.from());
    if (p.mode() != Progress.Mode.SNAPSHOT || transfer == null
        || transfer.meta().lastIncludedIndex() != m.lastIncludedIndex()) {
      return replica.effects().none();
    }
    if (m.restart()) {
      replica.log().warn("{} asks for the snapshot at {} again from the start", m.from(), m.lastIncludedIndex());
      transfer.restart();
    } else {
      transfer.onProgress(m.nextOffset());
    }
    sendChunks(m.from(), p, transfer);
    return replica.effects().none();
  }

  @Override
  Effect<RaftEvent, RaftState> onHeartbeatTick() {
    startRound();
    progress.forEach((peer, p) -> {
      if (p.mode() == Progress.Mode.SNAPSHOT) {
        SnapshotFileTransfer transfer = transfers.get(peer);
        if (transfer == null
            || (transfer.takeStalled() && transfer.meta().lastIncludedIndex() < state.log.snapshotIndex())) {
          // None yet, or a stalled one of a snapshot that a newer one replaced: send the newest from the start.
          startSnapshot(peer, p);
        } else {
          if (transfer.stalledSinceLastCheck()) {
            // Nothing came back for a whole heartbeat interval: resume from what the follower confirmed.
            transfer.resumeFrom(transfer.ackedOffset());
          }
          sendChunks(peer, p, transfer);
        }
        sendHeartbeat(peer, p);
        return;
      }
      if (!p.canSend()) {
        // Nothing came back for a whole heartbeat interval: presume what is in flight lost and resend.
        if (p.mode() == Progress.Mode.PROBE) {
          p.becomeProbe();
        } else {
          p.resendFromMatch();
        }
      }
      sendAppend(peer, p);
    });
    return replica.effects().none();
  }

  /** Section 6.2: a leader that cannot reach a majority steps down instead of serving stale reads forever. */
  @Override
  Effect<RaftEvent, RaftState> onCheckQuorum() {
    // A leader being removed still leads until its removal commits, but it is no voter: it does not count itself.
    int active = replica.isVoter() ? 1 : 0;
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      if (e.getValue().takeRecentlyActive() && replica.voters().contains(e.getKey())) {
        active++;
      }
    }
    if (!Quorum.isMajority(active, replica.voters().size())) {
      replica.log().info("leader of term {} heard from only {} of {} voters; stepping down",
          state.currentTerm, active, replica.voters().size());
      replica.becomeFollower(null);
    }
    return replica.effects().none();
  }

  /** Group commit: a batch of proposals becomes one write and travels to followers as one append. */
  @Override
  EffectBuilder<RaftEvent, RaftState> onProposals(List<Propose> proposals) {
    if (transferTarget != null) {
      // Section 3.10: no new entries while the target catches up, so it can; nothing was appended: retry elsewhere.
      proposals.forEach(p -> p.replyTo().tell(new ReplicaProtocol.NotLeader(null)));
      return replica.effects().none();
    }
    long index = state.log.lastIndex();
    List<LogEntry> entries = new ArrayList<>(proposals.size());
    for (Propose p : proposals) {
      if (awaitingApply.size() >= replica.settings().maxPendingProposals()) {
        p.replyTo().tell(new ReplicaProtocol.Rejected("too many proposals awaiting commit"));
        continue;
      }
      index++;
      entries.add(LogEntry.command(index, state.currentTerm, p.command()));
      awaitingApply.put(index, p.replyTo());
    }
    return entries.isEmpty() ? replica.effects().none() : append(entries);
  }

  /**
   * Section 6.4: a linearizable read records the commit index, confirms leadership with a heartbeat round to a
   * majority, then waits until that index is applied. A lease read skips the round while the lease holds.
   */
  @Override
  Effect<RaftEvent, RaftState> onRead(Read m) {
    if (m.consistency() == ReadConsistency.STALE) {
      replica.serve(m);
      return replica.effects().none();
    }
    if (reads.size() + awaitingNoop.size() >= replica.settings().maxPendingReads()) {
      m.replyTo().tell(new ReplicaProtocol.Rejected("too many reads awaiting confirmation"));
      return replica.effects().none();
    }
    if (!noopCommitted()) {
      awaitingNoop.add(m);
    } else if (m.consistency() == ReadConsistency.LEASE && leaseHolds()) {
      replica.serve(m);
    } else {
      enqueueRead(m);
    }
    return replica.effects().none();
  }

  /** One heartbeat round confirms every read that arrived since the last one (batching). */
  @Override
  Effect<RaftEvent, RaftState> onReadRound() {
    readRoundScheduled = false;
    if (reads.hasUnconfirmed()) {
      startRound();
      progress.forEach(this::sendHeartbeat);
      updateConfirmedRound();
    }
    return replica.effects().none();
  }

  @Override
  void onCommitted() {
    if (noopCommitted() && !awaitingNoop.isEmpty()) {
      awaitingNoop.forEach(this::enqueueRead);
      awaitingNoop.clear();
    }
    serveReadyReads();
    if (!replica.isVoter() && state.commitIndex >= state.configurationIndex()) {
      stepDownAfterRemoval();
    }
  }

  /**
   * Dissertation section 4.2.2: a leader removed from the group leads until the change commits (it replicates and
   * commits it without counting itself), then steps down. It tells the most up-to-date voter to campaign at once, so
   * the group need not wait an election timeout for a new leader.
   */
  private void stepDownAfterRemoval() {
    String successor = null;
    long best = -1;
    for (String voter : new java.util.TreeSet<>(replica.voters())) {
      Progress p = progress.get(voter);
      if (p != null && p.matchIndex() > best) {
        best = p.matchIndex();
        successor = voter;
      }
    }
    replica.log().info("{} is no longer a voter of {} (committed at {}); stepping down{}", replica.self(),
        replica.id().group(), state.configurationIndex(), successor == null ? "" : " in favour of " + successor);
    if (successor != null && best >= state.log.lastIndex()) {
      replica.send(successor, new PeerMessage.TimeoutNow(state.currentTerm, replica.self()));
    }
    replica.becomeFollower(null);
  }

  @Override
  void onApplied(long index, byte[] result) {
    ActorRef<ProposeReply> replyTo = awaitingApply.remove(index);
    if (replyTo != null) {
      replyTo.tell(new ReplicaProtocol.Applied(index, result));
    }
    if (index == pendingChangeIndex) {
      Configuration done = state.configurationAt(index);
      if (pendingChangeReply != null) {
        pendingChangeReply.tell(new ReplicaProtocol.ChangeDone(index, done.voters(), done.learners()));
      }
      pendingChangeIndex = 0;
      pendingChangeReply = null;
      replica.log().info("{} configuration of {} committed at {}: {}", replica.self(), replica.id().group(), index,
          done);
    }
  }

  // ---- membership changes (dissertation chapter 4) and leadership transfer (section 3.10) -------------------------

  /** A single-server change: checked by {@link MembershipRules}, appended, in force here once appended. */
  @Override
  Effect<RaftEvent, RaftState> onMembershipChange(
      MembershipRules.Change change, String node, ActorRef<ReplicaProtocol.ChangeReply> replyTo) {
    Configuration current = replica.configuration();
    MembershipRules.Refusal refusal = MembershipRules.check(change, node, current, noopCommitted(),
        state.configurationIndex() > state.commitIndex, transferTarget != null);
    if (refusal != null) {
      replyTo.tell(new ReplicaProtocol.ChangeRejected(refusal.code(), refusal.message()));
      return replica.effects().none();
    }
    if (MembershipRules.alreadyInEffect(change, node, current)) {
      replyTo.tell(new ReplicaProtocol.ChangeDone(state.configurationIndex(), current.voters(), current.learners()));
      return replica.effects().none();
    }
    if (change == MembershipRules.Change.PROMOTE_LEARNER) {
      CatchUp c = catchUp.get(node);
      if (c == null || !c.caughtUp()) {
        Progress p = progress.get(node);
        replyTo.tell(new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.NOT_READY, "learner " + node
            + " has not caught up yet (it holds up to " + (p == null ? 0 : p.matchIndex()) + " of "
            + state.log.lastIndex() + ", " + (c == null ? 0 : c.rounds()) + " rounds); try again shortly"));
        return replica.effects().none();
      }
    }
    Configuration next = MembershipRules.apply(change, node, current);
    long index = state.log.lastIndex() + 1;
    pendingChangeIndex = index;
    pendingChangeReply = replyTo;
    replica.log().info("{} proposes {} {} in {} at {}: {} -> {}", replica.self(), change, node,
        replica.id().group(), index, current, next);
    return append(List.of(LogEntry.config(index, state.currentTerm, next)));
  }

  @Override
  Effect<RaftEvent, RaftState> onTransferLeadership(String node, ActorRef<ReplicaProtocol.ChangeReply> replyTo) {
    if (node.equals(replica.self())) {
      replyTo.tell(new ReplicaProtocol.TransferDone(node));
      return replica.effects().none();
    }
    ReplicaProtocol.ChangeRejected refusal = null;
    if (!replica.configuration().isVoter(node)) {
      refusal = new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.BAD_REQUEST,
          node + " is not a voter of " + replica.id().group() + " (" + replica.configuration() + ")");
    } else if (transferTarget != null) {
      refusal = new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.CONFLICT,
          "a leadership transfer to " + transferTarget + " is already in progress");
    } else if (!noopCommitted()) {
      refusal = new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.NOT_READY,
          "the leader's NO-OP of its term is not committed yet; try again shortly");
    }
    if (refusal != null) {
      replyTo.tell(refusal);
      return replica.effects().none();
    }
    transferTarget = node;
    transferReply = replyTo;
    timeoutNowSent = false;
    replica.startTransferTimer();
    replica.log().info("{} hands leadership of {} to {}", replica.self(), replica.id().group(), node);
    Progress p = progress.get(node);
    if (p != null) {
      sendWhileAllowed(node, p);
    }
    maybeSendTimeoutNow();
    return replica.effects().none();
  }

  /** Once the target holds this leader's whole log (and that log is durable here), tell it to campaign. */
  private void maybeSendTimeoutNow() {
    if (transferTarget == null || timeoutNowSent) {
      return;
    }
    Progress p = progress.get(transferTarget);
    long last = state.log.lastIndex();
    if (p != null && p.matchIndex() >= last && selfMatchIndex >= last) {
      timeoutNowSent = true;
      replica.send(transferTarget, new PeerMessage.TimeoutNow(state.currentTerm, replica.self()));
    }
  }

  @Override
  Effect<RaftEvent, RaftState> onTransferTimeout() {
    if (transferTarget != null) {
      replica.log().warn("{} could not hand leadership of {} to {} within an election timeout; leading on",
          replica.self(), replica.id().group(), transferTarget);
      transferReply.tell(new ReplicaProtocol.ChangeRejected(ReplicaProtocol.RefusalCode.TIMEOUT, "leadership transfer to "
          + transferTarget + " did not complete within an election timeout; the leader leads on"));
      transferTarget = null;
      transferReply = null;
    }
    return replica.effects().none();
  }

  @Override
  String transferTarget() {
    return transferTarget;
  }

  /** A follower acknowledged entries: a learner may be caught up, a transfer target may be ready. */
  private void onFollowerProgress(String peer, Progress p) {
    CatchUp c = catchUp.get(peer);
    if (c != null) {
      c.onProgress(p.matchIndex(), state.log.lastIndex(), replica.nanoTime());
    }
    if (peer.equals(transferTarget)) {
      maybeSendTimeoutNow();
    }
  }

  /** The learners' catch-up state (for tests and status). */
  Map<String, CatchUp> catchUp() {
    return catchUp;
  }

  @Override
  void onExit() {
    active = false;
    replica.stopTransferTimer();
    if (transferReply != null) {
      transferReply.tell(timeoutNowSent
          ? new ReplicaProtocol.TransferDone(transferTarget)
          : new ReplicaProtocol.Unknown("leadership was lost during the transfer to " + transferTarget));
      transferTarget = null;
      transferReply = null;
    }
    if (pendingChangeReply != null) {
      pendingChangeReply.tell(new ReplicaProtocol.Unknown(
          "leadership was lost before the configuration change committed; it may still take effect"));
      pendingChangeReply = null;
    }
    replica.stopLeaderTimers();
    // A transfer belongs to this leader's term: it ends with it (the next leader sends its own snapshot).
    transfers.values().forEach(SnapshotFileTransfer::close);
    transfers.clear();
    // Appended entries may still commit under the next leader: their outcome is unknown, not failed.
    awaitingApply.values().forEach(r -> r.tell(new ReplicaProtocol.Unknown("leadership lost before the entry applied")));
    awaitingApply.clear();
    // A read not yet served was never answered, so the client may safely retry it elsewhere.
    reads.drain().forEach(r -> r.request().replyTo().tell(new ReplicaProtocol.NotLeader(null)));
    awaitingNoop.forEach(r -> r.replyTo().tell(new ReplicaProtocol.NotLeader(null)));
    awaitingNoop.clear();
  }

  private boolean noopCommitted() {
    return state.commitIndex >= noopIndex;
  }

  private boolean leaseHolds() {
    return replica.nanoTime() - leaseExpiresNanos < 0;
  }

  private void enqueueRead(Read m) {
    reads.add(round + 1, state.commitIndex, m);
    if (!readRoundScheduled) {
      readRoundScheduled = true;
      replica.readRoundSoon();
    }
  }

  private void startRound() {
    round++;
    roundStartedNanos.put(round, replica.nanoTime());
  }

  /**
   * The highest round a majority has echoed is confirmed: reads waiting on it may proceed, and since every voter
   * that echoed it reset its election timer after the round started, no other leader can be elected before the
   * round's start plus the minimum election timeout; the lease ends earlier than that.
   */
  private void updateConfirmedRound() {
    long quorumRound = Quorum.quorumIndex(replica.voters(), node -> valueOf(node, round, Progress::ackedRound));
    if (quorumRound <= confirmedRound) {
      return;
    }
    confirmedRound = quorumRound;
    Long started = roundStartedNanos.get(quorumRound);
    if (started != null) {
      leaseExpiresNanos = started + replica.settings().leaseDuration().toNanos();
    }
    roundStartedNanos.headMap(quorumRound, true).clear();
    reads.confirm(quorumRound);
    serveReadyReads();
  }

  private void serveReadyReads() {
    for (ReadIndexQueue.Pending<Read> ready : reads.ready(state.lastApplied)) {
      replica.serve(ready.request());
    }
  }

  /** An empty AppendEntries at the follower's known match: it cannot fail the log check and carries the round. */
  private void sendHeartbeat(String peer, Progress p) {
    // At a match index compacted away the term is unknown; index 0 matches every log.
    long at = state.log.termAt(p.matchIndex()) < 0 ? 0 : p.matchIndex();
    replica.send(peer, new AppendEntries(
        state.currentTerm, replica.self(), at, state.log.termAt(at), List.of(), state.commitIndex, round));
  }

  Map<String, Progress> progress() {
    return progress;
  }

  /** Appends entries of this term: streams them to followers now, and counts itself once its own write is durable. */
  private EffectBuilder<RaftEvent, RaftState> append(List<LogEntry> entries) {
    // Sent before the write: the followers' stores may finish first (the leader counts itself only once durable).
    long prevIndex = state.log.lastIndex();
    long prevTerm = state.log.lastTerm();
    AppendEntries optimistic =
        new AppendEntries(state.currentTerm, replica.self(), prevIndex, prevTerm, entries, state.commitIndex, round);
    progress.forEach((peer, p) -> {
      if (p.mode() == Progress.Mode.REPLICATE && p.nextIndex() == prevIndex + 1 && p.canSend()) {
        replica.send(peer, optimistic);
        p.onSent(optimistic.lastIndex());
      }
    });
    return replica.effects()
        .persist(new RaftEvent.EntriesAppended(prevIndex + 1, entries))
        .thenRun(s -> {
          if (!active) {
            return;
          }
          selfMatchIndex = state.log.lastIndex();
          syncWithConfiguration(true);
          maybeCommit();
          if (active) {
            progress.forEach(this::sendWhileAllowed);
            maybeSendTimeoutNow();
          }
        });
  }

  private void maybeCommit() {
    long quorumIndex =
        Quorum.quorumIndex(replica.voters(), node -> valueOf(node, selfMatchIndex, Progress::matchIndex));
    // Figure 8: only entries of the current term are committed by counting replicas.
    if (quorumIndex > state.commitIndex && state.log.termAt(quorumIndex) == state.currentTerm) {
      replica.commitTo(quorumIndex);
    }
  }

  /** What {@code field} says of {@code node}'s progress; {@code own} for this leader, 0 for a node it does not track. */
  private long valueOf(String node, long own, ToLongFunction<Progress> field) {
    if (node.equals(replica.self())) {
      return own;
    }
    Progress p = progress.get(node);
    return p == null ? 0 : field.applyAsLong(p);
  }

  private void sendWhileAllowed(String peer, Progress p) {
    while (active && p.canSend() && p.nextIndex() <= state.log.lastIndex()) {
      sendAppend(peer, p);
    }
  }

  /** One AppendEntries from the follower's nextIndex: a batch bounded by count and bytes, or a heartbeat. */
  private void sendAppend(String peer, Progress p) {
    if (!active) {
      return;
    }
    if (p.mode() == Progress.Mode.SNAPSHOT) {
      sendHeartbeat(peer, p);
      return;
    }
    if (p.nextIndex() <= state.log.snapshotIndex()) {
      startSnapshot(peer, p);
      return;
    }
    long prevIndex = p.nextIndex() - 1;
    RaftSettings settings = replica.settings();
    List<LogEntry> entries =
        state.log.slice(p.nextIndex(), settings.maxEntriesPerAppend(), settings.maxBytesPerAppend());
    AppendEntries m = new AppendEntries(
        state.currentTerm, replica.self(), prevIndex, state.log.termAt(prevIndex), entries, state.commitIndex, round);
    replica.send(peer, m);
    p.onSent(m.lastIndex());
  }

  /** Section 7: the follower needs entries that are compacted away; send the snapshot that replaced them. */
  private void startSnapshot(String peer, Progress p) {
    closeTransfer(peer);
    p.becomeSnapshot(state.log.snapshotIndex());
    SnapshotFileTransfer transfer;
    try {
      transfer = replica.openTransfer();
    } catch (IOException e) {
      replica.log().error("cannot open the snapshot at {} to send it to {}; trying again at the next heartbeat",
          state.log.snapshotIndex(), peer, e);
      return;
    }
    replica.log().info("sending the snapshot at {} ({} bytes) to {}, whose log ends before it",
        transfer.meta().lastIncludedIndex(), transfer.meta().sizeBytes(), peer);
    transfers.put(peer, transfer);
    sendChunks(peer, p, transfer);
  }

  /** Sends chunks while the window allows: flow control, a bounded number of chunks unacknowledged. */
  private void sendChunks(String peer, Progress p, SnapshotFileTransfer transfer) {
    try {
      while (transfer.canSend()) {
        replica.send(peer, transfer.nextChunk(state.currentTerm, replica.self()));
      }
    } catch (IOException e) {
      replica.log().error("cannot read the snapshot at {} for {}; starting over", transfer.meta().lastIncludedIndex(),
          peer, e);
      closeTransfer(peer);
      p.abortSnapshot();
    }
  }

  private void closeTransfer(String peer) {
    SnapshotFileTransfer transfer = transfers.remove(peer);
    if (transfer != null) {
      transfer.close();
    }
  }
}
