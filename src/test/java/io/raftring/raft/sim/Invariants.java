package io.raftring.raft.sim;

import io.raftring.raft.Configuration;
import io.raftring.raft.LogEntry;
import io.raftring.raft.RaftLog;
import io.raftring.raft.RoleName;
import io.raftring.raft.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The properties of the Raft paper's Figure 3, checked over all simulated nodes after every event, plus what a client
 * sees: an acknowledged write is never lost, and a strong read sees every write acknowledged before it was issued.
 *
 * <ul>
 *   <li>Election Safety: at most one leader per term.
 *   <li>Leader Append-Only: a leader never overwrites or deletes entries in its log (only compacts them).
 *   <li>Log Matching: two logs holding an entry with the same index and term are identical up to it.
 *   <li>Leader Completeness: a leader of a term holds every entry committed in an earlier term.
 *   <li>State Machine Safety: no two nodes apply different entries at one index.
 * </ul>
 */
final class Invariants {

  private final Map<String, SimNode> nodes;
  /** The leader of each term seen so far. */
  private final Map<Long, String> leaderOfTerm = new HashMap<>();
  /** Each leader's log as it last looked, by node: entries after its snapshot point, and the term it leads. */
  private final Map<String, LeaderView> leaderViews = new HashMap<>();
  /** Every entry known committed, by index, with a term it was known committed in (no later than). */
  private final ArrayList<LogEntry> committed = new ArrayList<>(List.of(LogEntry.noop(0, 0)));
  private final ArrayList<Long> committedKnownInTerm = new ArrayList<>(List.of(0L));
  /** Every entry applied by any node, by index (the first one to apply it). */
  private final ArrayList<LogEntry> applied = new ArrayList<>(List.of(LogEntry.noop(0, 0)));
  /** Acknowledged writes: index -> command. */
  private final TreeMap<Long, String> acknowledged = new TreeMap<>();
  private long readsChecked;
  /** Up to which index each node's commits were recorded (since it last started). */
  private final Map<String, Long> recordedUpTo = new HashMap<>();

  /** A leader's log as last checked: its last entry (the very object), which an overwrite would replace. */
  private record LeaderView(long term, long lastIndex, LogEntry last) {}

  Invariants(Map<String, SimNode> nodes) {
    this.nodes = nodes;
  }

  long maxAckedIndex() {
    return acknowledged.isEmpty() ? 0 : acknowledged.lastKey();
  }

  long acknowledgedCount() {
    return acknowledged.size();
  }

  long leaderTerms() {
    return leaderOfTerm.size();
  }

  long readsChecked() {
    return readsChecked;
  }

  long committedCount() {
    return committed.size() - 1;
  }

  void restarted(SimNode node) {
    leaderViews.remove(node.id);
    recordedUpTo.remove(node.id);
  }

  /** All properties, after an event at {@code now} in which {@code touched} got inputs (their logs may differ). */
  void check(long now, java.util.Set<SimNode> touched) {
    recordCommitted();
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.up) {
        up.add(n);
      }
    }
    for (SimNode n : up) {
      if (n.core.roleName() == RoleName.LEADER) {
        electionSafety(n);
        leaderAppendOnly(n);
        leaderCompleteness(n);
      } else {
        leaderViews.remove(n.id);
      }
    }
    for (SimNode a : touched) {
      if (!a.up) {
        continue;
      }
      for (SimNode b : up) {
        if (b != a) {
          logMatching(a, b);
        }
      }
    }
  }

  private void electionSafety(SimNode leader) {
    String known = leaderOfTerm.putIfAbsent(leader.core.term(), leader.id);
    if (known != null && !known.equals(leader.id)) {
      throw new AssertionError("Election Safety: " + known + " and " + leader.id + " both lead term "
          + leader.core.term());
    }
  }

  /**
   * A leader's log only grows: the entry that was last when it was last checked is still there, the very same object
   * (a truncation at or below it would have replaced it; compaction is allowed).
   */
  private void leaderAppendOnly(SimNode leader) {
    RaftLog log = leader.core.log();
    LeaderView before = leaderViews.get(leader.id);
    if (before != null && before.term() == leader.core.term()) {
      if (log.lastIndex() < before.lastIndex()) {
        throw new AssertionError("Leader Append-Only: " + leader.id + " shrank its log from " + before.lastIndex()
            + " to " + log.lastIndex());
      }
      if (before.last() != null && before.lastIndex() > log.snapshotIndex()
          && log.entryAt(before.lastIndex()) != before.last()) {
        throw new AssertionError("Leader Append-Only: " + leader.id + " replaced " + before.last() + " with "
            + log.entryAt(before.lastIndex()));
      }
    }
    LogEntry last = log.lastIndex() > log.snapshotIndex() ? log.entryAt(log.lastIndex()) : null;
    leaderViews.put(leader.id, new LeaderView(leader.core.term(), log.lastIndex(), last));
  }

  private void logMatching(SimNode x, SimNode y) {
    RaftLog a = x.core.log();
    RaftLog b = y.core.log();
    long low = Math.max(a.snapshotIndex(), b.snapshotIndex()) + 1;
    long i = Math.min(a.lastIndex(), b.lastIndex());
    while (i >= low && a.termAt(i) != b.termAt(i)) {
      i--;
    }
    for (; i >= low; i--) {
      LogEntry ea = a.entryAt(i);
      LogEntry eb = b.entryAt(i);
      if (ea != eb && !ea.equals(eb)) {
        throw new AssertionError("Log Matching: " + x.id + " and " + y.id + " share a later entry but differ at " + i
            + ": " + ea + " vs " + eb);
      }
    }
  }

  /** Records entries newly committed on any node; two different entries committed at one index is a violation. */
  private void recordCommitted() {
    for (SimNode n : nodes.values()) {
      if (!n.up) {
        continue;
      }
      RaftLog log = n.core.log();
      long commit = n.core.commitIndex();
      long from = Math.max(log.snapshotIndex() + 1, recordedUpTo.getOrDefault(n.id, 0L) + 1);
      recordedUpTo.put(n.id, Math.max(commit, recordedUpTo.getOrDefault(n.id, 0L)));
      for (long i = from; i <= commit; i++) {
        LogEntry e = log.entryAt(i);
        if (i < committed.size()) {
          if (!committed.get((int) i).equals(e)) {
            throw new AssertionError("two entries committed at " + i + ": " + committed.get((int) i) + " and " + e
                + " (on " + n.id + ")");
          }
        } else if (i == committed.size()) {
          committed.add(e);
          committedKnownInTerm.add(n.core.term());
        } else {
          // A gap below this node's commit that no one has been seen committing: this node's commit covers it.
          while (committed.size() < i) {
            long gap = committed.size();
            if (gap <= log.snapshotIndex()) {
              throw new AssertionError(n.id + " commits " + i + " above a snapshot at " + log.snapshotIndex()
                  + " while no one was seen committing " + gap);
            }
            committed.add(log.entryAt(gap));
            committedKnownInTerm.add(n.core.term());
          }
          committed.add(e);
          committedKnownInTerm.add(n.core.term());
        }
      }
    }
    if (!acknowledged.isEmpty() && acknowledged.lastKey() >= committed.size()) {
      throw new AssertionError("acknowledged " + acknowledged.lastEntry().getValue() + " at "
          + acknowledged.lastKey() + " is not committed");
    }
  }

  private void leaderCompleteness(SimNode leader) {
    RaftLog log = leader.core.log();
    long term = leader.core.term();
    for (long i = log.snapshotIndex() + 1; i < committed.size(); i++) {
      if (committedKnownInTerm.get((int) i) >= term) {
        continue;
      }
      if (i > log.lastIndex() || !log.entryAt(i).equals(committed.get((int) i))) {
        throw new AssertionError("Leader Completeness: " + leader.id + ", leader of term " + term + ", lacks "
            + committed.get((int) i) + " committed by term " + committedKnownInTerm.get((int) i)
            + (i > log.lastIndex() ? " (its log ends at " + log.lastIndex() + ")" : ": it holds " + log.entryAt(i)));
      }
    }
  }

  /** State Machine Safety, when {@code node} applies {@code e}; entries apply in index order without gaps. */
  void applied(SimNode node, LogEntry e) {
    long index = e.index();
    if (index < applied.size()) {
      LogEntry first = applied.get((int) index);
      if (!first.equals(e)) {
        throw new AssertionError("State Machine Safety: " + node.id + " applies " + e + " where " + first
            + " was applied");
      }
    } else if (index == applied.size()) {
      applied.add(e);
    } else {
      throw new AssertionError(node.id + " applies " + index + " but entries up to " + (applied.size() - 1)
          + " only were ever applied");
    }
  }

  /** A follower restored a snapshot from its leader: its state must be exactly what was applied up to there. */
  void restoredSnapshot(SimNode node, SnapshotMeta meta) {
    SimNode.StateMachine m = node.machine;
    if (m.appliedIndex != meta.lastIncludedIndex()) {
      throw new AssertionError(node.id + " restored a snapshot at " + meta.lastIncludedIndex() + " holding state up to "
          + m.appliedIndex);
    }
    int k = 0;
    for (long i = 1; i <= meta.lastIncludedIndex(); i++) {
      LogEntry e = applied.get((int) i);
      if (e.kind() != LogEntry.Kind.COMMAND) {
        continue;
      }
      String command = new String(e.data(), StandardCharsets.UTF_8);
      if (k >= m.commands.size() || m.indexes.get(k) != i || !m.commands.get(k).equals(command)) {
        throw new AssertionError("State Machine Safety: the snapshot " + node.id + " restored at "
            + meta.lastIncludedIndex() + " differs from what was applied at " + i);
      }
      k++;
    }
  }

  /** The proposer applied its own entry: the write is acknowledged to the client. */
  void acknowledged(long index, String command) {
    LogEntry e = applied.get((int) index);
    if (!command.equals(new String(e.data(), StandardCharsets.UTF_8))) {
      throw new AssertionError("acknowledged " + command + " at " + index + " but " + e + " was applied there");
    }
    acknowledged.put(index, command);
  }

  /** A strong read served at {@code readIndex} must see every write acknowledged before it was issued. */
  void readServed(SimNode node, long ackedIndexAtIssue, long readIndex, boolean lease) {
    readsChecked++;
    if (readIndex < ackedIndexAtIssue) {
      throw new AssertionError("stale " + (lease ? "lease" : "linearizable") + " read on " + node.id + ": read index "
          + readIndex + " below the write acknowledged at " + ackedIndexAtIssue + " before the read was issued");
    }
    if (node.machine.appliedIndex < readIndex) {
      throw new AssertionError(node.id + " served a read at " + readIndex + " having applied only "
          + node.machine.appliedIndex);
    }
  }

  /**
   * After the calm phase: one leader, every member of its configuration has applied everything, every acknowledged
   * write is in every member's state machine.
   */
  void checkConverged(List<String> stillPending) {
    SimNode leader = null;
    for (SimNode n : nodes.values()) {
      if (n.up && n.core.roleName() == RoleName.LEADER && (leader == null || n.core.term() > leader.core.term())) {
        leader = n;
      }
    }
    if (leader == null) {
      throw new AssertionError("no leader after the calm phase: " + describe());
    }
    Configuration c = leader.core.currentConfiguration();
    if (leader.core.commitIndex() != leader.core.log().lastIndex()) {
      throw new AssertionError("leader " + leader.id + " has not committed its log after the calm phase: " + describe());
    }
    for (String member : new TreeSet<>(c.members())) {
      SimNode n = nodes.get(member);
      if (n.machine.appliedIndex != leader.core.commitIndex()) {
        throw new AssertionError(member + " applied up to " + n.machine.appliedIndex + ", the leader " + leader.id
            + " committed " + leader.core.commitIndex() + ": " + describe());
      }
      for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
        int at = n.machine.indexes.indexOf(ack.getKey());
        if (at < 0 || !n.machine.commands.get(at).equals(ack.getValue())) {
          throw new AssertionError("acknowledged " + ack.getValue() + " at " + ack.getKey() + " is missing on "
              + member);
        }
      }
    }
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    for (SimNode n : nodes.values()) {
      b.append("\n  ").append(n.id).append(n.up ? ": " + n.core + " " + n.core.currentConfiguration() + " applied "
          + n.machine.appliedIndex : ": down");
    }
    return b.toString();
  }
}
