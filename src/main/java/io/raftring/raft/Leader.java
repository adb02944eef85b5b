package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.ReplicaProtocol.RefusalCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader replicates its log (section 5.3), commits by majority under the current-term rule (section 5.4.2, Figure
 * 8), serves reads by ReadIndex or lease (section 6.4), changes the configuration one server at a time (dissertation
 * chapter 4), hands leadership over on request (section 3.10), and steps down when it has not heard from a majority
 * for an election timeout (check-quorum, section 6.2).
 *
 * <p>Entries go to followers as soon as they are appended, before this leader's own write completes; it counts
 * itself toward a majority only with what its storage has made durable ({@link RaftLog#stableIndex()}).
 *
 * <p>Progress transitions (PROBE, REPLICATE, SNAPSHOT) are spread over the reply handlers and the heartbeat, as in
 * etcd's tracker: {@link Progress} keeps the rules, this class decides when they apply.
 */
final class Leader extends RaftRole {

  private static final Logger LOG = LoggerFactory.getLogger(Leader.class);

  private final Map<String, Progress> progress = new LinkedHashMap<>();
  /** Snapshots being sent, by follower (those in SNAPSHOT mode). */
  private final Map<String, SnapshotTransfer> transfers = new HashMap<>();
  /** The index of this term's NO-OP: until it commits, this leader does not know the full commit index. */
  private long noopIndex = Long.MAX_VALUE;

  /** The latest heartbeat round; every AppendEntries carries the round current when it was sent. */
  private long round;
  /** When each round not yet confirmed by a majority was started (nanoTime), for the lease. */
  private final TreeMap<Long, Long> roundStartedNanos = new TreeMap<>();
  private long confirmedRound;
  private long leaseExpiresNanos;
  private boolean leaseEverHeld;
  private final ReadIndexQueue<Object> reads = new ReadIndexQueue<>();
  /** Strong reads that arrived before this term's NO-OP committed. */
  private final List<Object> awaitingNoop = new ArrayList<>();
  /** Whether reads arrived since the last round: the next Ready starts one round for all of them. */
  private boolean readRoundWanted;

  /** How far each learner is from being caught up (dissertation section 4.2.1). */
  private final Map<String, CatchUp> catchUp = new HashMap<>();
  /** The voter leadership is being handed to; null when none (dissertation section 3.10). */
  private String transferTarget;
  private boolean timeoutNowSent;
  private boolean timeoutNowEverSent;
  private int transferTicks;
  /** Heartbeat ticks since the last check-quorum. */
  private int ticksSinceQuorumCheck;
  /** Heartbeat ticks in one maximum election timeout: how often check-quorum runs, how long a transfer may take. */
  private final int electionTicks;

  Leader(RaftCore core) {
    super(core);
    RaftSettings s = core.settings;
    electionTicks = (int) Math.max(1,
        (s.electionTimeoutMax().toNanos() + s.heartbeatInterval().toNanos() - 1) / s.heartbeatInterval().toNanos());
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
  void start() {
    syncWithConfiguration();
    noopIndex = core.log.lastIndex() + 1;
    append(List.of(LogEntry.noop(noopIndex, core.term)));
  }

  /**
   * The configuration in force decides whom this leader replicates to: new members get a progress (probing from the
   * end of the log), removed ones lose theirs, and every learner has a catch-up tracker. Returns the new members.
   */
  private List<String> syncWithConfiguration() {
    Configuration configuration = core.configuration();
    long next = core.log.lastIndex() + 1;
    List<String> added = new ArrayList<>();
    for (String peer : new TreeSet<>(configuration.members())) {
      if (!peer.equals(core.self) && !progress.containsKey(peer)) {
        progress.put(peer, new Progress(next, core.settings.maxInflightAppends()));
        added.add(peer);
      }
    }
    for (String peer : List.copyOf(progress.keySet())) {
      if (!configuration.isMember(peer)) {
        progress.remove(peer);
        transfers.remove(peer);
      }
    }
    catchUp.keySet().removeIf(peer -> !configuration.isLearner(peer));
    for (String learner : configuration.learners()) {
      catchUp.computeIfAbsent(learner, l -> new CatchUp(core.log.lastIndex(), core.nanoClock.getAsLong(),
          core.settings.electionTimeoutMin().toNanos()));
    }
    return added;
  }

  /** Appends entries of this term and streams them to followers now; this leader counts them once durable. */
  private void append(List<LogEntry> entries) {
    boolean configChange = false;
    for (LogEntry e : entries) {
      configChange |= e.kind() == LogEntry.Kind.CONFIG;
    }
    core.log.truncateAndAppend(core.log.lastIndex() + 1, entries);
    if (configChange) {
      // Dissertation section 4.1: a configuration is in force from the moment it is in the log. A newcomer gets an
      // empty append at the end of the log at once: its answer says where its log ends.
      for (String added : syncWithConfiguration()) {
        sendAppend(added, progress.get(added));
      }
    }
    progress.forEach(this::sendWhileAllowed);
  }

  long propose(List<byte[]> commands) {
    if (transferTarget != null) {
      // Section 3.10: no new entries while the target catches up, so it can; nothing was appended: retry elsewhere.
      return RaftCore.NOT_APPENDED;
    }
    long first = core.log.lastIndex() + 1;
    List<LogEntry> entries = new ArrayList<>(commands.size());
    long index = first;
    for (byte[] command : commands) {
      entries.add(LogEntry.command(index++, core.term, command));
    }
    if (!entries.isEmpty()) {
      append(entries);
    }
    return first;
  }

  // ---- replication (section 5.3) -----------------------------------------------------------------------------------

  /** Election Safety: two leaders in one term cannot happen; if it seems to, something else is broken. */
  @Override
  void onAppendEntries(AppendEntries m) {
    LOG.error("{} leader of term {} got AppendEntries from {} for the same term; ignored", core.name, m.term(),
        m.from());
  }

  @Override
  void onAppendEntriesReply(AppendEntriesReply m) {
    Progress p = progress.get(m.from());
    if (p == null) {
      return;
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
      long lastOfTerm = m.conflictTerm() > 0 ? core.log.lastIndexOfTerm(m.conflictTerm()) : -1;
      p.onReject(m.rejectedPrevIndex(), m.conflictIndex(), m.conflictTerm(), lastOfTerm);
    }
    sendWhileAllowed(m.from(), p);
  }

  @Override
  void onPersisted() {
    maybeCommit();
    maybeSendTimeoutNow();
  }

  /** Figure 8: only entries of the current term are committed by counting replicas. */
  private void maybeCommit() {
    long own = core.log.stableIndex();
    long quorumIndex = Quorum.quorumIndex(core.voters(), node -> valueOf(node, own, Progress::matchIndex));
    if (quorumIndex > core.commitIndex && core.log.termAt(quorumIndex) == core.term) {
      core.commitTo(quorumIndex);
    }
  }

  @Override
  void onCommitAdvanced() {
    if (noopCommitted() && !awaitingNoop.isEmpty()) {
      awaitingNoop.forEach(this::enqueueRead);
      awaitingNoop.clear();
    }
  }

  /** What {@code field} says of {@code node}'s progress; {@code own} for this leader, 0 for a node it does not track. */
  private long valueOf(String node, long own, ToLongFunction<Progress> field) {
    if (node.equals(core.self)) {
      return own;
    }
    Progress p = progress.get(node);
    return p == null ? 0 : field.applyAsLong(p);
  }

  private void sendWhileAllowed(String peer, Progress p) {
    while (p.canSend() && p.nextIndex() <= core.log.lastIndex()) {
      sendAppend(peer, p);
    }
  }

  /** One AppendEntries from the follower's nextIndex: a batch bounded by count and bytes, or a heartbeat. */
  private void sendAppend(String peer, Progress p) {
    if (p.mode() == Progress.Mode.SNAPSHOT) {
      sendHeartbeat(peer, p);
      return;
    }
    if (p.nextIndex() <= core.log.snapshotIndex()) {
      startSnapshot(peer, p);
      return;
    }
    long prevIndex = p.nextIndex() - 1;
    RaftSettings s = core.settings;
    List<LogEntry> entries = core.log.slice(p.nextIndex(), s.maxEntriesPerAppend(), s.maxBytesPerAppend());
    AppendEntries m = new AppendEntries(core.term, core.self, prevIndex, core.log.termAt(prevIndex), entries,
        core.commitIndex, round);
    core.send(peer, m);
    p.onSent(m.lastIndex());
  }

  /** An empty AppendEntries at the follower's known match: it cannot fail the log check and carries the round. */
  private void sendHeartbeat(String peer, Progress p) {
    sendHeartbeat(peer, p, false);
  }

  private void sendHeartbeat(String peer, Progress p, boolean quiesce) {
    // At the follower's known match, which its log holds; when this leader compacted that away, at its snapshot (the
    // earliest index whose term it knows): a follower that lacks the snapshot rejects, which leaves a transfer be.
    long at = Math.max(p.matchIndex(), core.log.snapshotIndex());
    core.send(peer, new AppendEntries(core.term, core.self, at, core.log.termAt(at), List.of(), core.commitIndex,
        round, quiesce));
  }

  /**
   * The heartbeat: every follower hears from this leader (an empty append, or what it is owed), appends presumed
   * lost are resent, stalled snapshot transfers resume; every election timeout, check-quorum; a transfer that took
   * longer than that is abandoned.
   */
  @Override
  void tick() {
    if (canQuiesce()) {
      quiesce();
      return;
    }
    startRound();
    progress.forEach((peer, p) -> {
      if (p.mode() == Progress.Mode.SNAPSHOT) {
        tickSnapshot(peer, p);
        sendHeartbeat(peer, p);
        return;
      }
      boolean answered = p.takeAnsweredSinceHeartbeat();
      if (!p.canSend()) {
        if (answered && p.mode() == Progress.Mode.REPLICATE) {
          // A full window whose answers keep coming: busy, not lost; those answers send what follows.
          return;
        }
        // Nothing came back for a whole heartbeat interval: presume what is in flight lost and resend.
        if (p.mode() == Progress.Mode.PROBE) {
          p.becomeProbe();
        } else {
          p.resendFromMatch();
        }
      }
      sendAppend(peer, p);
    });
    if (transferTarget != null && ++transferTicks >= electionTicks) {
      LOG.warn("{} could not hand leadership to {} within an election timeout; leading on", core.name,
          transferTarget);
      core.transferEnded = new Ready.TransferEnded(transferTarget, Ready.TransferOutcome.TIMED_OUT);
      transferTarget = null;
    }
    if (++ticksSinceQuorumCheck >= electionTicks) {
      ticksSinceQuorumCheck = 0;
      checkQuorum();
    }
  }

  /**
   * Whether the group is idle and settled (see {@link RaftCore#quiesced()}): nothing in flight or waiting here
   * (proposals, reads, a leadership transfer), everything committed, applied and durable, and every follower and
   * learner answered the last heartbeat and holds the whole log (so none is being sent a snapshot).
   */
  private boolean canQuiesce() {
    long last = core.log.lastIndex();
    if (!core.settings.quiesceIdle() || !core.isVoter() || transferTarget != null || reads.size() > 0
        || !awaitingNoop.isEmpty() || core.commitIndex != last || core.applied != last || !core.allDurable()) {
      return false;
    }
    for (Progress p : progress.values()) {
      if (p.mode() != Progress.Mode.REPLICATE || p.matchIndex() != last || !p.answeredSinceHeartbeat()) {
        return false;
      }
    }
    return true;
  }

  /** One last heartbeat, marked quiesce, carrying the commit index; then no more until something wakes the group. */
  private void quiesce() {
    startRound();
    progress.forEach((peer, p) -> {
      p.takeAnsweredSinceHeartbeat();
      sendHeartbeat(peer, p, true);
    });
    core.quiesce();
  }

  /**
   * Woken from quiet: the check-quorum count starts over, and only followers that answer from now on count as
   * active, so a leader that woke because it was cut off steps down an election timeout later.
   */
  @Override
  void onWake() {
    ticksSinceQuorumCheck = 0;
    progress.values().forEach(Progress::takeRecentlyActive);
  }

  /**
   * Section 6.2: a leader that cannot reach a majority steps down instead of serving stale reads forever. Checked
   * once per maximum election timeout: followers cannot have elected anyone sooner, and a slower check keeps a leader
   * on a busy machine from stepping down over one late round of answers.
   */
  private void checkQuorum() {
    // A leader being removed still leads until its removal commits, but it is no voter: it does not count itself.
    int active = core.isVoter() ? 1 : 0;
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      if (e.getValue().takeRecentlyActive() && core.voters().contains(e.getKey())) {
        active++;
      }
    }
    if (!Quorum.isMajority(active, core.voters().size())) {
      LOG.info("{} leader of term {} heard from only {} of {} voters; stepping down", core.name, core.term, active,
          core.voters().size());
      core.becomeFollower(core.term, null);
    }
  }

  // ---- snapshots (section 7) ---------------------------------------------------------------------------------------

  /** The follower needs entries that are compacted away; send the snapshot that replaced them. */
  private void startSnapshot(String peer, Progress p) {
    p.becomeSnapshot(core.log.snapshotIndex());
    SnapshotTransfer transfer = new SnapshotTransfer(core.snapshot, core.settings.snapshotChunkBytes(),
        core.settings.maxInflightSnapshotChunks());
    LOG.info("{} sends the snapshot at {} ({} bytes) to {}, whose log ends before it", core.name,
        core.snapshot.lastIncludedIndex(), core.snapshot.sizeBytes(), peer);
    transfers.put(peer, transfer);
    sendChunks(peer, transfer);
  }

  private void tickSnapshot(String peer, Progress p) {
    SnapshotTransfer transfer = transfers.get(peer);
    if (transfer == null) {
      startSnapshot(peer, p);
      return;
    }
    if (transfer.takeStalled()) {
      if (transfer.meta().lastIncludedIndex() < core.log.snapshotIndex()) {
        // A stalled transfer of a snapshot that a newer one replaced: send the newest from the start.
        startSnapshot(peer, p);
        return;
      }
      // Nothing came back for a whole heartbeat interval: resume from what the follower confirmed.
      transfer.resumeFrom(transfer.ackedOffset());
    }
    sendChunks(peer, transfer);
  }

  /** Sends chunks while the window allows: flow control, a bounded number of chunks unacknowledged. */
  private void sendChunks(String peer, SnapshotTransfer transfer) {
    while (transfer.canSend()) {
      SnapshotTransfer.Chunk chunk = transfer.nextChunk();
      core.chunksToSend.add(new Ready.ChunkToSend(peer, transfer.meta(), core.term, chunk.offset(), chunk.length(),
          chunk.done()));
    }
  }

  /** The driver could not read the snapshot for {@code peer}: probe again, which starts a new transfer if needed. */
  void abortSnapshotTransfer(String peer) {
    Progress p = progress.get(peer);
    if (transfers.remove(peer) != null && p != null && p.mode() == Progress.Mode.SNAPSHOT) {
      p.abortSnapshot();
    }
  }

  /** Election Safety, as for AppendEntries. */
  @Override
  void onInstallSnapshot(InstallSnapshot m) {
    LOG.error("{} leader of term {} got InstallSnapshot from {} for the same term; ignored", core.name, m.term(),
        m.from());
  }

  /** Section 7: the follower holds so much of the snapshot, or installed it; send on, resume, or start over. */
  @Override
  void onInstallSnapshotReply(InstallSnapshotReply m) {
    Progress p = progress.get(m.from());
    if (p == null) {
      return;
    }
    p.markActive();
    if (m.installed()) {
      boolean grew;
      if (p.mode() == Progress.Mode.SNAPSHOT && m.lastIncludedIndex() < p.pendingSnapshotIndex()) {
        grew = p.onAck(m.lastIncludedIndex());
      } else {
        transfers.remove(m.from());
        grew = p.onSnapshotInstalled(m.lastIncludedIndex());
      }
      if (grew) {
        maybeCommit();
      }
      onFollowerProgress(m.from(), p);
      sendWhileAllowed(m.from(), p);
      return;
    }
    SnapshotTransfer transfer = transfers.get(m.from());
    if (p.mode() != Progress.Mode.SNAPSHOT || transfer == null
        || transfer.meta().lastIncludedIndex() != m.lastIncludedIndex()) {
      return;
    }
    if (m.restart()) {
      LOG.warn("{}: {} asks for the snapshot at {} again from the start", core.name, m.from(), m.lastIncludedIndex());
      transfer.restart();
    } else {
      transfer.onProgress(m.nextOffset());
    }
    sendChunks(m.from(), transfer);
  }

  // ---- reads (section 6.4) -----------------------------------------------------------------------------------------

  RaftCore.ReadAdmission readIndex(Object request, boolean lease) {
    if (reads.size() + awaitingNoop.size() >= core.settings.maxPendingReads()) {
      return RaftCore.ReadAdmission.TOO_MANY;
    }
    if (!noopCommitted()) {
      awaitingNoop.add(request);
    } else if (lease && leaseHolds()) {
      core.readStates.add(new Ready.ReadState(request, core.commitIndex));
    } else {
      enqueueRead(request);
    }
    return RaftCore.ReadAdmission.ACCEPTED;
  }

  private void enqueueRead(Object request) {
    reads.add(round + 1, core.commitIndex, request);
    readRoundWanted = true;
  }

  /**
   * Work batched until the Ready: one heartbeat round confirms every read that arrived since the last one; a leader
   * whose removal committed steps down (at the end of the input that committed it, never halfway through a handler).
   */
  @Override
  void beforeReady() {
    if (readRoundWanted && reads.hasUnconfirmed()) {
      startRound();
      progress.forEach(this::sendHeartbeat);
      updateConfirmedRound();
    }
    readRoundWanted = false;
    if (!core.isVoter() && core.commitIndex >= core.log.configurationIndex()) {
      stepDownAfterRemoval();
    }
  }

  @Override
  void readsServableAt(long index) {
    for (ReadIndexQueue.Pending<Object> ready : reads.ready(index)) {
      core.readStates.add(new Ready.ReadState(ready.request(), ready.readIndex()));
    }
  }

  private void startRound() {
    round++;
    roundStartedNanos.put(round, core.nanoClock.getAsLong());
  }

  /**
   * The highest round a majority has echoed is confirmed: reads waiting on it may proceed, and since every voter
   * that echoed it reset its election timer after the round started, no other leader can be elected before the
   * round's start plus the minimum election timeout; the lease ends earlier than that.
   */
  private void updateConfirmedRound() {
    long quorumRound = Quorum.quorumIndex(core.voters(), node -> valueOf(node, round, Progress::ackedRound));
    if (quorumRound <= confirmedRound) {
      return;
    }
    confirmedRound = quorumRound;
    Long started = roundStartedNanos.get(quorumRound);
    if (started != null) {
      leaseExpiresNanos = started + core.settings.leaseDuration().toNanos();
      leaseEverHeld = true;
    }
    roundStartedNanos.headMap(quorumRound, true).clear();
    reads.confirm(quorumRound);
  }

  /**
   * Whether lease reads may skip the round. Never once this leader has sent a TimeoutNow, even if the transfer timed
   * out: the target may still campaign on it, and voters grant such a campaign despite hearing from this leader.
   */
  private boolean leaseHolds() {
    return leaseEverHeld && !timeoutNowEverSent && core.nanoClock.getAsLong() - leaseExpiresNanos < 0;
  }

  private boolean noopCommitted() {
    return core.commitIndex >= noopIndex;
  }

  // ---- membership changes (dissertation chapter 4) and leadership transfer (section 3.10) -------------------------

  /** A single-server change: checked by {@link MembershipRules}, appended, in force here once appended. */
  RaftCore.ChangeResult proposeChange(MembershipRules.Change change, String node) {
    Configuration current = core.configuration();
    long configurationIndex = core.log.configurationIndex();
    MembershipRules.Refusal refusal = MembershipRules.check(change, node, current, noopCommitted(),
        configurationIndex > core.commitIndex, transferTarget != null);
    if (refusal != null) {
      return new RaftCore.ChangeRefused(refusal.code(), refusal.message());
    }
    if (MembershipRules.alreadyInEffect(change, node, current)) {
      return new RaftCore.ChangeInEffect(configurationIndex, current);
    }
    if (change == MembershipRules.Change.PROMOTE_LEARNER) {
      CatchUp c = catchUp.get(node);
      if (c == null || !c.caughtUp()) {
        Progress p = progress.get(node);
        return new RaftCore.ChangeRefused(RefusalCode.NOT_READY, "learner " + node
            + " has not caught up yet (it holds up to " + (p == null ? 0 : p.matchIndex()) + " of "
            + core.log.lastIndex() + ", " + (c == null ? 0 : c.rounds()) + " rounds); try again shortly");
      }
    }
    Configuration next = MembershipRules.apply(change, node, current);
    long index = core.log.lastIndex() + 1;
    LOG.info("{} proposes {} {} at {}: {} -> {}", core.name, change, node, index, current, next);
    append(List.of(LogEntry.config(index, core.term, next)));
    return new RaftCore.ChangeAppended(index);
  }

  /**
   * Dissertation section 4.2.2: a leader removed from the group leads until the change commits (it replicates and
   * commits it without counting itself), then steps down. It tells the most up-to-date voter to campaign at once, so
   * the group need not wait an election timeout for a new leader.
   */
  private void stepDownAfterRemoval() {
    String successor = null;
    long best = -1;
    for (String voter : new TreeSet<>(core.voters())) {
      Progress p = progress.get(voter);
      if (p != null && p.matchIndex() > best) {
        best = p.matchIndex();
        successor = voter;
      }
    }
    LOG.info("{} is no longer a voter (committed at {}); stepping down{}", core.name, core.log.configurationIndex(),
        successor == null ? "" : " in favour of " + successor);
    if (successor != null && best >= core.log.lastIndex()) {
      core.send(successor, new PeerMessage.TimeoutNow(core.term, core.self));
    }
    core.becomeFollower(core.term, null);
  }

  RaftCore.ChangeResult transferLeadership(String node) {
    if (node.equals(core.self)) {
      return new RaftCore.ChangeInEffect(core.log.configurationIndex(), core.configuration());
    }
    if (!core.configuration().isVoter(node)) {
      return new RaftCore.ChangeRefused(RefusalCode.BAD_REQUEST, node + " is not a voter (" + core.configuration()
          + ")");
    }
    if (transferTarget != null) {
      return new RaftCore.ChangeRefused(RefusalCode.CONFLICT,
          "a leadership transfer to " + transferTarget + " is already in progress");
    }
    if (!noopCommitted()) {
      return new RaftCore.ChangeRefused(RefusalCode.NOT_READY,
          "the leader's NO-OP of its term is not committed yet; try again shortly");
    }
    transferTarget = node;
    timeoutNowSent = false;
    transferTicks = 0;
    LOG.info("{} hands leadership to {}", core.name, node);
    Progress p = progress.get(node);
    if (p != null) {
      sendWhileAllowed(node, p);
    }
    maybeSendTimeoutNow();
    return null;
  }

  /** Once the target holds this leader's whole log (and that log is durable here), tell it to campaign. */
  private void maybeSendTimeoutNow() {
    if (transferTarget == null || timeoutNowSent) {
      return;
    }
    Progress p = progress.get(transferTarget);
    long last = core.log.lastIndex();
    if (p != null && p.matchIndex() >= last && core.log.stableIndex() >= last) {
      timeoutNowSent = true;
      timeoutNowEverSent = true;
      core.send(transferTarget, new PeerMessage.TimeoutNow(core.term, core.self));
    }
  }

  String transferTarget() {
    return transferTarget;
  }

  /** A follower acknowledged entries: a learner may be caught up, a transfer target may be ready. */
  private void onFollowerProgress(String peer, Progress p) {
    CatchUp c = catchUp.get(peer);
    if (c != null) {
      c.onProgress(p.matchIndex(), core.log.lastIndex(), core.nanoClock.getAsLong());
    }
    if (peer.equals(transferTarget)) {
      maybeSendTimeoutNow();
    }
  }

  @Override
  void onExit() {
    if (transferTarget != null) {
      core.transferEnded = new Ready.TransferEnded(transferTarget,
          timeoutNowSent ? Ready.TransferOutcome.HANDED_OVER : Ready.TransferOutcome.LOST);
      transferTarget = null;
    }
    transfers.clear();
    // A read not yet served was never answered, so the client may safely retry it elsewhere.
    reads.drain().forEach(r -> core.readsDropped.add(r.request()));
    core.readsDropped.addAll(awaitingNoop);
    awaitingNoop.clear();
  }
}
