package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.PeerMessage.TimeoutNow;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower answers leaders and candidates. When its election timer fires it first runs a pre-vote (dissertation
 * section 9.6): it asks whether the others would vote for it, and only campaigns for real, bumping its term, if a
 * majority would. A node that cannot win therefore never disrupts a working group.
 */
final class Follower extends RaftRole {

  private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

  /** Pre-votes granted in the current pre-vote round; null when not pre-campaigning. */
  private Set<String> preVotes;
  /**
   * Set after a restart until the first election timeout: this replica may have acknowledged a leader's round just
   * before it went down, and that leader may be serving lease reads on the strength of it, so it helps no one depose
   * that leader until a whole election timeout has passed (as if it had just heard from it).
   */
  private boolean justStarted;

  Follower(RaftCore core) {
    super(core);
  }

  /** The follower a replica starts as after (re)starting. */
  static Follower afterStart(RaftCore core) {
    Follower follower = new Follower(core);
    follower.justStarted = true;
    return follower;
  }

  @Override
  RoleName name() {
    return RoleName.FOLLOWER;
  }

  @Override
  boolean hearsFromLeader() {
    return core.leader != null || justStarted;
  }

  /** Section 5.3: the consistency check, then truncate-and-append of what is new, then the leader's commit index. */
  @Override
  void onAppendEntries(AppendEntries m) {
    heardFromLeader(m.from());
    RaftLog log = core.log;
    if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {
      long conflictTerm = Math.max(0, log.termAt(m.prevLogIndex()));
      long conflictIndex = conflictTerm > 0
          ? log.firstIndexOfTerm(conflictTerm, m.prevLogIndex())
          : log.lastIndex() + 1;
      core.answer(m.from(), AppendEntriesReply.rejected(
          core.term, core.self, m.prevLogIndex(), conflictIndex, conflictTerm, m.round()));
      return;
    }
    long firstNew = log.firstNewIndex(m.entries());
    if (firstNew >= 0) {
      if (firstNew <= core.commitIndex) {
        // Leader Completeness says this cannot happen; refusing keeps a buggy or forged leader from erasing commits.
        LOG.error("{} refusing AppendEntries from {} in term {} that would overwrite committed index {} (commit {})",
            core.name, m.from(), m.term(), firstNew, core.commitIndex);
        return;
      }
      List<LogEntry> fresh = m.entries().subList((int) (firstNew - m.prevLogIndex() - 1), m.entries().size());
      log.truncateAndAppend(firstNew, fresh);
    }
    long matchIndex = m.lastIndex();
    core.commitTo(Math.min(m.leaderCommit(), matchIndex));
    if (m.quiesce() && matchIndex == log.lastIndex() && core.commitIndex == matchIndex) {
      // The leader goes quiet and this log is exactly its log, all committed: go quiet too, without an answer (an
      // answer would wake the leader).
      core.quiesce();
      return;
    }
    core.answer(m.from(), AppendEntriesReply.accepted(core.term, core.self, matchIndex, m.round()));
  }

  /**
   * Section 7: chunks go to the driver's receiver, which assembles them in order on disk and reports back
   * ({@link RaftCore#snapshotChunkStored}, {@link RaftCore#snapshotReceived}); a snapshot this replica has already
   * committed past needs no installing.
   */
  @Override
  void onInstallSnapshot(InstallSnapshot m) {
    heardFromLeader(m.from());
    if (m.lastIncludedIndex() <= core.commitIndex) {
      core.answer(m.from(), InstallSnapshotReply.installed(core.term, core.self, m.lastIncludedIndex()));
      return;
    }
    core.chunksToStore.add(m);
  }

  /** The last chunk of a complete, verified snapshot: install it if it is still news and from this term's leader. */
  boolean installSnapshot(InstallSnapshot last) {
    if (last.term() != core.term) {
      return false;
    }
    if (last.lastIncludedIndex() <= core.commitIndex) {
      core.answer(last.from(), InstallSnapshotReply.installed(core.term, core.self, last.lastIncludedIndex()));
      return false;
    }
    SnapshotMeta meta = new SnapshotMeta(last.lastIncludedIndex(), last.lastIncludedTerm(),
        List.copyOf(new TreeSet<>(last.voters())), SnapshotMeta.fileName(last.lastIncludedIndex(),
        last.lastIncludedTerm()), last.totalBytes(), last.crc32(), List.copyOf(new TreeSet<>(last.learners())));
    core.installSnapshot(meta);
    LOG.info("{} installs a snapshot at {} ({} bytes) from {}", core.name, meta.lastIncludedIndex(), meta.sizeBytes(),
        last.from());
    core.answer(last.from(), InstallSnapshotReply.installed(core.term, core.self, meta.lastIncludedIndex()));
    return true;
  }

  private void heardFromLeader(String from) {
    core.leader = from;
    preVotes = null;
    core.resetElectionTimer = true;
  }

  /** The election timeout passed without a word from a leader: ask for pre-votes (a learner goes quiet instead). */
  @Override
  void tick() {
    core.leader = null;
    justStarted = false;
    if (!core.isVoter()) {
      // A learner never campaigns, so its timer has nothing to do: it waits quietly for the leader's next word
      // (which wakes it). Otherwise a learner woken in a quiet group by a late message would tick on forever.
      core.quiesce();
      return;
    }
    preVotes = new HashSet<>();
    preVotes.add(core.self);
    if (Quorum.isMajority(preVotes, core.voters())) {
      core.becomeCandidate(false);
      return;
    }
    RaftLog log = core.log;
    core.sendToOtherVoters(new RequestVote(core.term + 1, core.self, log.lastIndex(), log.lastTerm(), true));
  }

  @Override
  void onRequestVoteReply(RequestVoteReply m) {
    if (preVotes == null || !m.preVote() || !m.granted() || m.term() != core.term + 1) {
      return;
    }
    preVotes.add(m.from());
    if (Quorum.isMajority(preVotes, core.voters())) {
      core.becomeCandidate(false);
    }
  }

  /**
   * Section 3.10: the leader brought this log up to date and steps aside: campaign at once, skipping the pre-vote
   * (the voters still hear from that leader and would refuse it). A learner or a removed server ignores it.
   */
  @Override
  void onTimeoutNow(TimeoutNow m) {
    if (!core.isVoter()) {
      LOG.warn("{} is told to take over by {} but is not a voter ({}); ignored", core.name, m.from(),
          core.configuration());
      return;
    }
    LOG.info("{} takes over from {} in term {} (leadership transfer)", core.name, m.from(), core.term + 1);
    core.becomeCandidate(true);
  }
}
