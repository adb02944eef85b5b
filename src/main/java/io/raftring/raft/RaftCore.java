package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.Ready.Envelope;
import io.raftring.raft.Ready.HardState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft algorithm for one replica as a deterministic state machine, in the shape of etcd-io/raft's {@code raft.go}
 * and {@code rawnode.go}: inputs are {@link #step} (a peer's message), {@link #tick} (the role's timer fired),
 * {@link #propose}, {@link #readIndex}, {@link #proposeChange}, {@link #transferLeadership} and the driver's reports
 * ({@link #persisted}, {@link #snapshotWritten}, ...); the output is a {@link Ready} of what to do, taken with
 * {@link #ready()} and acknowledged with {@link #advance}. It does no I/O, reads no clock but the one it is given (for
 * read leases and learner catch-up) and owns no timer: the driver's timers call {@link #tick}.
 *
 * <p>Term rules common to every role live here (section 5.1: adopt a higher term, refuse a lower one, one vote per
 * term); what a role does with each message lives in its {@link RaftRole}: {@link Follower}, {@link Candidate},
 * {@link Leader}, installed by {@code becomeFollower} / {@code becomeCandidate} / {@code becomeLeader} as etcd swaps
 * its {@code step} function.
 *
 * <p>Storage is asynchronous (etcd's async storage writes): the log grows in memory at once, and a {@link Ready.Write}
 * carries what is new to storage; while it is in flight the core goes on (a leader appends proposals, sends entries
 * and counts acknowledgements), and what arrives meanwhile goes into the next write. What must wait for durability
 * waits: answers to RequestVote, AppendEntries and InstallSnapshot leave only once everything the replica held when it
 * answered is durable, and a leader counts itself toward a majority, a candidate its own vote, only once durable.
 */
public final class RaftCore {

  private static final Logger LOG = LoggerFactory.getLogger(RaftCore.class);

  /** What {@link #propose} returns when the proposal was not appended: this replica does not lead (or transfers). */
  public static final long NOT_APPENDED = -1;

  /** The answer to {@link #readIndex}. */
  public enum ReadAdmission {
    /** Queued: it comes back in a {@link Ready#readStates()} (or {@link Ready#readsDropped()}). */
    ACCEPTED,
    /** This replica does not lead: answer NotLeader. */
    NOT_LEADER,
    /** Too many reads wait already: answer Rejected (overload). */
    TOO_MANY
  }

  /** The answer to {@link #proposeChange}. */
  public sealed interface ChangeResult {}

  /** Refused for {@code code}; nothing was appended. */
  public record ChangeRefused(ReplicaProtocol.RefusalCode code, String message) implements ChangeResult {}

  /** Nothing to do: the configuration in force, set at {@code index}, already reflects the change. */
  public record ChangeInEffect(long index, Configuration configuration) implements ChangeResult {}

  /** Appended at {@code index}; it is done once that entry is applied. */
  public record ChangeAppended(long index) implements ChangeResult {}

  /** This replica does not lead. */
  public record ChangeNotLeader(String leaderHint) implements ChangeResult {}

  final String self;
  final RaftSettings settings;
  final LongSupplier nanoClock;
  /** Names this replica in log lines. */
  final String name;
  final RaftLog log;

  long term;
  String votedFor;
  String leader;
  long commitIndex;
  /** Committed entries handed out in a Ready so far. */
  private long appliedHandedOut;
  /** Committed entries the driver reported applied. */
  long applied;
  RaftRole role;

  /** The latest snapshot (its file is written and synced), or null. */
  SnapshotMeta snapshot;
  private boolean snapshotInProgress;

  // Storage: at most one write in flight; its number and the hard state it carries.
  private HardState handedHardState;
  private SnapshotMeta snapshotTakenToPersist;
  private SnapshotMeta snapshotInstalledToPersist;
  private long handedWrites;
  private long persistedWrites;
  HardState durableHardState;

  // What the next Ready carries.
  private List<Envelope> messages = new ArrayList<>();
  /** Answers waiting for the write numbered {@code write} to complete, in the order they were made. */
  private final List<DeferredMessage> afterPersist = new ArrayList<>();
  private SnapshotMeta snapshotToRestore;
  List<Ready.ReadState> readStates = new ArrayList<>();
  List<Object> readsDropped = new ArrayList<>();
  private Ready.SnapshotDue snapshotDue;
  List<InstallSnapshot> chunksToStore = new ArrayList<>();
  List<Ready.ChunkToSend> chunksToSend = new ArrayList<>();
  boolean resetElectionTimer;
  Ready.TransferEnded transferEnded;
  /** See {@link #quiesced()}. */
  private boolean quiesced;

  private record DeferredMessage(long write, Envelope envelope) {}

  /**
   * A replica {@code self} of a group whose configuration is {@code bootstrap} until its log or snapshot holds one,
   * with the durable state {@code recovered} (term, vote, snapshot, log after it), as a follower. The state machine
   * is expected to hold the snapshot's state already; committed entries after it come out in Readys.
   */
  public RaftCore(String self, Configuration bootstrap, RaftSettings settings, RaftState.Durable recovered,
      LongSupplier nanoClock, String name) {
    this.self = self;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.name = name;
    this.log = new RaftLog(bootstrap);
    this.term = recovered.currentTerm();
    this.votedFor = recovered.votedFor();
    if (recovered.snapshot() != null) {
      log.installSnapshot(recovered.snapshot());
      snapshot = recovered.snapshot();
      commitIndex = snapshot.lastIncludedIndex();
      applied = commitIndex;
      appliedHandedOut = commitIndex;
    }
    if (!recovered.entries().isEmpty()) {
      log.truncateAndAppend(log.lastIndex() + 1, recovered.entries());
    }
    log.markAllStable();
    durableHardState = new HardState(term, votedFor);
    handedHardState = durableHardState;
    role = Follower.afterStart(this);
  }

  // ---- inputs -----------------------------------------------------------------------------------------------------

  /**
   * A message from a peer. Section 5.1: a message of a later term makes this replica a follower of that term (except
   * votes that must not disturb a live leader), one of an earlier term is answered with the current term so that
   * its stale sender learns it.
   */
  public void step(PeerMessage m) {
    String invalid = MessageValidator.problem(m, settings);
    if (invalid != null) {
      LOG.warn("{} dropped a malformed {} from {}: {}", name, m.getClass().getSimpleName(), m.from(), invalid);
      return;
    }
    if (quiesced && configuration().isMember(m.from())) {
      // A removed server that still campaigns (it may never learn of its removal) does not keep the group awake.
      wake();
    }
    if (m.term() < term) {
      answerStale(m);
      return;
    }
    if (m.term() > term) {
      if (m instanceof RequestVote v && (v.preVote() || (role.hearsFromLeader() && !v.leadershipTransfer()))) {
        // A pre-vote changes nothing; a real vote while a leader is alive is refused without adopting its term,
        // so a partitioned or removed node cannot depose a healthy leader (dissertation sections 4.2.3 and 9.6).
        if (v.preVote()) {
          role.onRequestVote(v);
        } else {
          answer(v.from(), new RequestVoteReply(term, self, false, false));
        }
        return;
      }
      if (m instanceof RequestVoteReply r && r.preVote() && r.granted()) {
        // A granted pre-vote carries the term the candidate would campaign in, not a term anyone is in.
        role.onRequestVoteReply(r);
        return;
      }
      becomeFollower(m.term(), m instanceof AppendEntries || m instanceof InstallSnapshot ? m.from() : null);
    }
    role.step(m);
  }

  /** Answers a message of an earlier term with this replica's term, so that its sender steps down. */
  private void answerStale(PeerMessage m) {
    if (m instanceof AppendEntries a) {
      answer(a.from(), AppendEntriesReply.rejected(term, self, a.prevLogIndex(), 0, 0, a.round()));
    } else if (m instanceof InstallSnapshot i) {
      answer(i.from(), InstallSnapshotReply.progress(term, self, i.lastIncludedIndex(), 0));
    } else if (m instanceof RequestVote v) {
      answer(v.from(), new RequestVoteReply(term, self, false, v.preVote()));
    }
  }

  /** The role's timer fired: a follower's or candidate's election timeout, a leader's heartbeat interval. */
  public void tick() {
    if (!quiesced) {
      role.tick();
    }
  }

  /**
   * Whether this replica is quiet (CockroachDB's quiescence, TiKV's hibernate regions): an idle group whose
   * followers all hold the whole log and know it committed needs no heartbeats, so its leader sends one last
   * heartbeat marked {@code quiesce} and stops ticking, and each follower whose log matches it stops its election
   * timer (and does not answer it; a follower that cannot go quiet answers, which wakes the leader). While quiet
   * the driver runs no timer for the role, and restarts the role's timer when the replica wakes: on any message from
   * a member, a proposal, read, change or transfer, or {@link #peerUnreachable} (a woken leader heartbeats and checks
   * its quorum again). Quiescence changes only when timers run, never what is safe: a quiet leader's read lease
   * lapses like any other (a lease read then takes a round, which wakes the group), and votes follow the usual rules
   * (a quiet follower knows its leader, so it refuses pre-votes until it wakes and times out, or its leader's node
   * falls silent).
   */
  public boolean quiesced() {
    return quiesced;
  }

  /**
   * {@code node} fell silent for an election timeout (its node's beacons stopped) or the cluster's failure detector
   * gave up on it. A follower whose leader that is campaigns at once, quiet or not: its leader's silence is its
   * election timeout (a quiet follower runs no timer; one another follower's campaign woke has just restarted its
   * timer, and waiting it out would delay the election). A quiet leader whose group it is a member of wakes,
   * heartbeats and checks its quorum, so that a leader cut off from its followers steps down. A follower of another
   * leader ignores it, and so does a leader that is not quiet (its own check-quorum runs).
   */
  public void peerUnreachable(String node) {
    if (node.equals(self) || !configuration().isMember(node)) {
      return;
    }
    if (role instanceof Leader) {
      wake();
    } else if (role instanceof Follower && node.equals(leader)) {
      wake();
      role.tick();
    }
  }

  /**
   * Appends {@code commands} as entries of this leader's term. Returns the index of the first, or
   * {@link #NOT_APPENDED} when this replica does not lead or is handing leadership over (section 3.10).
   */
  public long propose(List<byte[]> commands) {
    wake();
    return role instanceof Leader l ? l.propose(commands) : NOT_APPENDED;
  }

  /**
   * Section 6.4: a linearizable read ({@code lease} false) waits for a heartbeat round that confirms this leader
   * still leads; a lease read is confirmed at once while the lease holds. Either comes back in a Ready's read states
   * with the index that must be applied before it is served.
   */
  public ReadAdmission readIndex(Object request, boolean lease) {
    wake();
    return role instanceof Leader l ? l.readIndex(request, lease) : ReadAdmission.NOT_LEADER;
  }

  /** A single-server configuration change (dissertation section 4.1), if this replica leads. */
  public ChangeResult proposeChange(MembershipRules.Change change, String node) {
    wake();
    return role instanceof Leader l ? l.proposeChange(change, node) : new ChangeNotLeader(leader);
  }

  /**
   * Starts handing leadership to {@code node} (dissertation section 3.10). Returns null when it started (its end comes
   * in a Ready's {@link Ready#transferEnded()}); a refusal otherwise; a {@link ChangeInEffect} when this replica
   * already is what was asked for.
   */
  public ChangeResult transferLeadership(String node) {
    wake();
    if (role instanceof Leader l) {
      return l.transferLeadership(node);
    }
    return node.equals(leader) ? new ChangeInEffect(log.configurationIndex(), log.configuration())
        : new ChangeNotLeader(leader);
  }

  /** The write {@code write} (the oldest one in flight) is durable. */
  public void persisted(Ready.Write write) {
    if (write.seq() != persistedWrites + 1) {
      throw new IllegalStateException(name + ": write " + write.seq() + " completed, expected " + (persistedWrites + 1));
    }
    persistedWrites = write.seq();
    if (write.hardState() != null) {
      durableHardState = write.hardState();
    }
    log.stableTo(write.lastIndex(), write.lastTerm());
    role.onPersisted();
  }

  /** The snapshot asked for by {@link Ready#snapshotDue()} is written and synced as {@code written}. */
  public void snapshotWritten(SnapshotMeta written) {
    snapshotInProgress = false;
    if (written.lastIncludedIndex() <= log.snapshotIndex()) {
      // A snapshot from the leader overtook it: it is worthless now.
      return;
    }
    log.installSnapshot(written);
    snapshot = written;
    snapshotTakenToPersist = written;
  }

  /** Writing the snapshot asked for failed; a later one will be asked for. */
  public void snapshotWriteFailed() {
    snapshotInProgress = false;
  }

  /** The driver's receiver stored {@code chunk} and now holds {@code received} bytes of its snapshot in order. */
  public void snapshotChunkStored(InstallSnapshot chunk, long received) {
    answer(chunk.from(), InstallSnapshotReply.progress(term, self, chunk.lastIncludedIndex(), received));
  }

  /** The driver's receiver dropped the snapshot {@code chunk} belongs to (bad checksum, disk error): start over. */
  public void snapshotChunkRejected(InstallSnapshot chunk) {
    answer(chunk.from(), InstallSnapshotReply.restart(term, self, chunk.lastIncludedIndex()));
  }

  /**
   * The driver's receiver holds the complete, verified snapshot whose last chunk is {@code last}. Returns whether it
   * is to be installed (then it comes back as {@link Ready#snapshotToRestore()}); if not, the driver discards it.
   */
  public boolean snapshotReceived(InstallSnapshot last) {
    return role instanceof Follower f && f.installSnapshot(last);
  }

  /** Sending a snapshot chunk to {@code peer} failed (its file could not be read): the transfer starts over. */
  public void snapshotSendFailed(String peer) {
    if (role instanceof Leader l) {
      l.abortSnapshotTransfer(peer);
    }
  }

  // ---- output -----------------------------------------------------------------------------------------------------

  /** What to do now; everything in it counts as handed out. */
  public Ready ready() {
    role.beforeReady();
    Ready.Write write = nextWrite();
    for (int i = 0; i < afterPersist.size(); ) {
      DeferredMessage d = afterPersist.get(i);
      if (d.write() <= persistedWrites) {
        messages.add(d.envelope());
        afterPersist.remove(i);
      } else {
        i++;
      }
    }
    List<LogEntry> committed = List.of();
    if (commitIndex > appliedHandedOut) {
      committed = log.slice(appliedHandedOut + 1, Integer.MAX_VALUE, Long.MAX_VALUE);
      committed = committed.subList(0, (int) (commitIndex - appliedHandedOut));
      appliedHandedOut = commitIndex;
    }
    role.readsServableAt(appliedHandedOut);
    Ready ready = new Ready(role.name(), term, leader, write, messages, snapshotToRestore, committed, readStates,
        readsDropped, snapshotDue, chunksToStore, chunksToSend, resetElectionTimer, transferEnded);
    messages = new ArrayList<>();
    snapshotToRestore = null;
    readStates = new ArrayList<>();
    readsDropped = new ArrayList<>();
    snapshotDue = null;
    chunksToStore = new ArrayList<>();
    chunksToSend = new ArrayList<>();
    resetElectionTimer = false;
    transferEnded = null;
    return ready;
  }

  /** The driver carried out {@code ready}: its committed entries are applied. */
  public void advance(Ready ready) {
    if (ready.lastCommittedIndex() > applied) {
      applied = ready.lastCommittedIndex();
    }
    maybeSnapshot();
  }

  /**
   * Whether {@link #advance} left something that needs a Ready of its own: a snapshot it asked for. Nothing else may
   * come to ask for one (a quiet group gets no more input), so the driver schedules that Ready itself.
   */
  public boolean readyPending() {
    return snapshotDue != null;
  }

  /** Whether a write is new: term or vote changed, a snapshot to record, entries not handed to storage. */
  private boolean hasUnpersisted() {
    return handedHardState.term() != term || !Objects.equals(handedHardState.votedFor(), votedFor)
        || snapshotTakenToPersist != null || snapshotInstalledToPersist != null
        || log.persistFrom() <= log.lastIndex();
  }

  /** Everything not yet handed to storage, as one write, unless a write is still in flight. */
  private Ready.Write nextWrite() {
    if (handedWrites != persistedWrites || !hasUnpersisted()) {
      return null;
    }
    HardState hardState = new HardState(term, votedFor);
    boolean hardStateChanged = !hardState.equals(handedHardState);
    Ready.Write write = new Ready.Write(++handedWrites, hardStateChanged ? hardState : null, snapshotTakenToPersist,
        snapshotInstalledToPersist, log.persistFrom(), log.unpersisted(), log.lastIndex(), log.lastTerm());
    handedHardState = hardState;
    snapshotTakenToPersist = null;
    snapshotInstalledToPersist = null;
    log.handedToStorage();
    return write;
  }

  /** Section 7: once enough of the log is applied, ask the driver for a snapshot there. */
  private void maybeSnapshot() {
    long appliedSinceSnapshot = applied - log.snapshotIndex();
    if (snapshotInProgress || appliedSinceSnapshot <= 0) {
      return;
    }
    if (appliedSinceSnapshot < settings.snapshotThresholdEntries()
        && log.sizeBytes() < settings.snapshotThresholdBytes()) {
      return;
    }
    snapshotInProgress = true;
    snapshotDue = new Ready.SnapshotDue(applied, log.termAt(applied), log.configurationAt(applied));
  }

  // ---- what the roles use -----------------------------------------------------------------------------------------

  /** The role goes quiet: see {@link #quiesced()}. */
  void quiesce() {
    quiesced = true;
  }

  private void wake() {
    if (quiesced) {
      quiesced = false;
      role.onWake();
    }
  }

  /** Whether everything this replica holds is durable and no answer waits for a write. */
  boolean allDurable() {
    return !hasUnpersisted() && handedWrites == persistedWrites && afterPersist.isEmpty();
  }

  /** Sends {@code m} to {@code to} now. */
  void send(String to, PeerMessage m) {
    messages.add(new Envelope(to, m));
  }

  /**
   * Sends the answer {@code m} to {@code to} once everything this replica holds now is durable: at once when it is,
   * else after the write that will carry what is not yet written (or the one in flight).
   */
  void answer(String to, PeerMessage m) {
    long write;
    if (hasUnpersisted()) {
      write = handedWrites + 1;
    } else if (handedWrites > persistedWrites) {
      write = handedWrites;
    } else {
      messages.add(new Envelope(to, m));
      return;
    }
    afterPersist.add(new DeferredMessage(write, new Envelope(to, m)));
  }

  /** Sends {@code m} to every voter but this replica. */
  void sendToOtherVoters(PeerMessage m) {
    for (String voter : new TreeSet<>(configuration().voters())) {
      if (!voter.equals(self)) {
        send(voter, m);
      }
    }
  }

  /** The configuration in force: the latest in the log, committed or not. */
  Configuration configuration() {
    return log.configuration();
  }

  Set<String> voters() {
    return log.configuration().voters();
  }

  boolean isVoter() {
    return log.configuration().isVoter(self);
  }

  /** Advances the commit index (section 5.3); the entries come out in the next Ready. */
  void commitTo(long index) {
    long target = Math.min(index, log.lastIndex());
    if (target > commitIndex) {
      commitIndex = target;
      role.onCommitAdvanced();
    }
  }

  /** Section 7: a snapshot from the leader replaces the log up to its index; the state machine follows. */
  void installSnapshot(SnapshotMeta meta) {
    log.installSnapshot(meta);
    snapshot = meta;
    snapshotInstalledToPersist = meta;
    snapshotToRestore = meta;
    commitIndex = Math.max(commitIndex, meta.lastIncludedIndex());
    applied = meta.lastIncludedIndex();
    appliedHandedOut = meta.lastIncludedIndex();
  }

  void becomeFollower(long newTerm, String newLeader) {
    if (newTerm > term) {
      term = newTerm;
      votedFor = null;
    }
    if (!(role instanceof Follower)) {
      changeRole(new Follower(this));
    }
    leader = newLeader;
    resetElectionTimer = true;
  }

  /** Section 5.2: a new term and a vote for itself; RequestVote to every other voter. */
  void becomeCandidate(boolean leadershipTransfer) {
    term++;
    votedFor = self;
    leader = null;
    changeRole(new Candidate(this));
    LOG.debug("{} campaigns in term {}", name, term);
    sendToOtherVoters(new RequestVote(term, self, log.lastIndex(), log.lastTerm(), false, leadershipTransfer));
  }

  void becomeLeader() {
    leader = self;
    Leader next = new Leader(this);
    changeRole(next);
    LOG.info("{} leads term {}", name, term);
    next.start();
  }

  private void changeRole(RaftRole next) {
    role.onExit();
    role = next;
    // A new role's behaviour starts its own timer.
    quiesced = false;
  }

  // ---- queries ----------------------------------------------------------------------------------------------------

  public RoleName roleName() {
    return role.name();
  }

  public long term() {
    return term;
  }

  public String votedFor() {
    return votedFor;
  }

  /** The leader this replica knows (itself when it leads), or null. */
  public String leader() {
    return leader;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long applied() {
    return applied;
  }

  /** The log (read only: the core owns it). */
  public RaftLog log() {
    return log;
  }

  public SnapshotMeta snapshot() {
    return snapshot;
  }

  /** The configuration in force. */
  public Configuration currentConfiguration() {
    return log.configuration();
  }

  /** The voter leadership is being handed to, or null. */
  public String transferTarget() {
    return role instanceof Leader l ? l.transferTarget() : null;
  }

  @Override
  public String toString() {
    return name + "(" + role.name() + " t" + term + " commit " + commitIndex + " last " + log.lastIndex()
        + (quiesced ? " quiet" : "") + ")";
  }
}
