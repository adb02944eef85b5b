package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.Ready.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link RaftCore} ("n1" unless told otherwise) driven by a test as its driver would: it takes every Ready,
 * keeps the messages for the test to look at, stores writes in a {@link DurableLog} (at once, or when the test says,
 * to play storage that is slow), applies committed entries to a list and serves read states. Time is a number the
 * test moves. Nothing here waits for anything.
 */
final class CoreHarness {

  final String self;
  final Set<String> members;
  final RaftSettings settings;
  final AtomicLong clock = new AtomicLong();
  RaftCore core;
  DurableLog storage = new DurableLog();
  /** Writes handed out and not yet completed, oldest first (when {@link #holdWrites} is on). */
  final Deque<Ready.Write> pendingWrites = new ArrayDeque<>();
  boolean holdWrites;
  final List<Envelope> sent = new ArrayList<>();
  /** The commands applied, in order, as text. */
  final List<String> applied = new ArrayList<>();
  final List<Object> served = new ArrayList<>();
  final List<Object> dropped = new ArrayList<>();
  final List<Ready.SnapshotDue> snapshotsDue = new ArrayList<>();
  final List<PeerMessage.InstallSnapshot> chunksToStore = new ArrayList<>();
  final List<Ready.ChunkToSend> chunksToSend = new ArrayList<>();
  final List<Ready.TransferEnded> transfersEnded = new ArrayList<>();
  final List<SnapshotMeta> restored = new ArrayList<>();
  int electionTimerResets;

  CoreHarness(String self, Set<String> members, RaftSettings settings) {
    this.self = self;
    this.members = members;
    this.settings = settings;
    start();
  }

  /** n1 of the group n1, n2, n3 with default settings. */
  static CoreHarness threeNodes() {
    return new CoreHarness("n1", Set.of("n1", "n2", "n3"), RaftSettings.defaults());
  }

  private void start() {
    Configuration bootstrap = members.contains(self) ? Configuration.ofVoters(members) : Configuration.EMPTY;
    core = new RaftCore(self, bootstrap, settings, storage.toDurable(), clock::get, self);
    applied.clear();
  }

  /** A crash and restart: only what storage holds survives. */
  void restart() {
    pendingWrites.clear();
    sent.clear();
    start();
  }

  // ---- inputs ------------------------------------------------------------------------------------------------------

  void step(PeerMessage m) {
    core.step(m);
    drive();
  }

  void tick() {
    core.tick();
    drive();
  }

  long propose(String... commands) {
    List<byte[]> bytes = new ArrayList<>();
    for (String c : commands) {
      bytes.add(c.getBytes(StandardCharsets.UTF_8));
    }
    long first = core.propose(bytes);
    drive();
    return first;
  }

  RaftCore.ReadAdmission read(Object request, boolean lease) {
    RaftCore.ReadAdmission admission = core.readIndex(request, lease);
    drive();
    return admission;
  }

  /** Completes the oldest write in flight. */
  void completeWrite() {
    Ready.Write write = pendingWrites.removeFirst();
    write.events().forEach(storage::apply);
    core.persisted(write);
    drive();
  }

  /** Takes Readys until there is nothing to do, carrying each out. */
  void drive() {
    for (int rounds = 0; rounds < 100; rounds++) {
      Ready ready = core.ready();
      if (ready.isEmpty()) {
        return;
      }
      sent.addAll(ready.messages());
      if (ready.snapshotToRestore() != null) {
        restored.add(ready.snapshotToRestore());
      }
      for (LogEntry e : ready.committedEntries()) {
        if (e.kind() == LogEntry.Kind.COMMAND) {
          applied.add(new String(e.data(), StandardCharsets.UTF_8));
        }
      }
      ready.readStates().forEach(r -> served.add(r.request()));
      dropped.addAll(ready.readsDropped());
      if (ready.snapshotDue() != null) {
        snapshotsDue.add(ready.snapshotDue());
      }
      chunksToStore.addAll(ready.chunksToStore());
      chunksToSend.addAll(ready.chunksToSend());
      if (ready.transferEnded() != null) {
        transfersEnded.add(ready.transferEnded());
      }
      if (ready.resetElectionTimer()) {
        electionTimerResets++;
      }
      core.advance(ready);
      if (ready.write() != null) {
        if (holdWrites) {
          pendingWrites.addLast(ready.write());
        } else {
          ready.write().events().forEach(storage::apply);
          core.persisted(ready.write());
        }
      }
    }
    throw new AssertionError("the core kept producing work for 100 Readys");
  }

  // ---- looking at what was sent ------------------------------------------------------------------------------------

  /** Messages sent to {@code node} since the last look, oldest first; they are taken. */
  List<PeerMessage> take(String node) {
    List<PeerMessage> taken = new ArrayList<>();
    sent.removeIf(e -> {
      if (e.to().equals(node)) {
        taken.add(e.message());
        return true;
      }
      return false;
    });
    return taken;
  }

  /** The messages of type {@code type} sent to {@code node} since the last look (all messages to it are taken). */
  <T extends PeerMessage> List<T> take(String node, Class<T> type) {
    List<T> of = new ArrayList<>();
    for (PeerMessage m : take(node)) {
      if (type.isInstance(m)) {
        of.add(type.cast(m));
      }
    }
    return of;
  }

  /** The one message of type {@code type} sent to {@code node} since the last look; fails on none or several. */
  <T extends PeerMessage> T takeOne(String node, Class<T> type) {
    List<T> of = take(node, type);
    if (of.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " to " + node + ", got " + of);
    }
    return of.get(0);
  }

  /** The last AppendEntries to {@code node} since the last look, or fails. */
  AppendEntries lastAppend(String node) {
    List<AppendEntries> of = take(node, AppendEntries.class);
    if (of.isEmpty()) {
      throw new AssertionError("no AppendEntries to " + node);
    }
    return of.get(of.size() - 1);
  }

  // ---- common scenes -----------------------------------------------------------------------------------------------

  /**
   * An election timeout passes without a leader (a restarted voter grants no vote before that); the pre-vote it
   * sends is discarded.
   */
  void pastFirstElectionTimeout() {
    tick();
    sent.clear();
  }

  /** The election timer fires, n2 grants the pre-vote and the vote: this replica leads the next term. */
  void elect() {
    tick();
    RequestVote preVote = takeOne("n2", RequestVote.class);
    take("n3");
    step(new RequestVoteReply(preVote.term(), "n2", true, true));
    RequestVote vote = takeOne("n2", RequestVote.class);
    take("n3");
    step(new RequestVoteReply(vote.term(), "n2", true, false));
  }

  /** Elects this replica and acknowledges its NO-OP from n2, so that the NO-OP commits. */
  void electAndCommitNoop() {
    elect();
    AppendEntries noop = lastAppend("n2");
    take("n3");
    step(AppendEntriesReply.accepted(noop.term(), "n2", noop.lastIndex(), noop.round()));
  }

  static LogEntry cmd(long index, long term, String text) {
    return LogEntry.command(index, term, text.getBytes(StandardCharsets.UTF_8));
  }
}
