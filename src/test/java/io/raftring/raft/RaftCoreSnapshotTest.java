package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Log compaction and InstallSnapshot (section 7) on one core: when it asks for a snapshot, what a written snapshot
 * changes, how a leader sends one in flow-controlled chunks and resumes, and how a follower installs one. Reading and
 * writing the snapshot files is the driver's; the core says which bytes go where.
 */
class RaftCoreSnapshotTest {

  private static final int CHUNK = 8;
  private static final long SNAPSHOT_BYTES = 20;
  private static final RaftSettings SETTINGS =
      RaftSettings.defaults().withSnapshotThresholds(6, 1 << 20).withSnapshotChunks(CHUNK, 2);

  private CoreHarness n1;

  @BeforeEach
  void start() {
    n1 = new CoreHarness("n1", Set.of("n1", "n2", "n3"), SETTINGS);
  }

  /** n1 leads term 1, n2 stores everything; n3 never answers. */
  private void leadAndCommit(String... commands) {
    n1.electAndCommitNoop();
    for (String c : commands) {
      long index = n1.propose(c);
      n1.step(AppendEntriesReply.accepted(1, "n2", index));
    }
  }

  /** The driver wrote the snapshot the core asked for, as a file of {@link #SNAPSHOT_BYTES} bytes. */
  private SnapshotMeta writeDueSnapshot() {
    Ready.SnapshotDue due = n1.snapshotsDue.remove(0);
    SnapshotMeta meta = new SnapshotMeta(due.index(), due.term(), List.copyOf(due.configuration().voters()),
        SnapshotMeta.fileName(due.index(), due.term()), SNAPSHOT_BYTES, 42, List.copyOf(due.configuration().learners()));
    n1.core.snapshotWritten(meta);
    n1.drive();
    return meta;
  }

  /** n3 rejected a probe below the compaction point, and the next tick started sending it the snapshot. */
  private void startTransferToN3() {
    leadAndCommit("a", "b", "c", "d", "e");
    writeDueSnapshot();
    n1.step(AppendEntriesReply.rejected(1, "n3", 6, 1, 0));
    n1.tick();
    assertThat(n1.chunksToSend).as("the transfer started").isNotEmpty();
    n1.chunksToSend.clear();
  }

  private static InstallSnapshot chunk(long term, String from, long index, long offset, int length, boolean done) {
    return new InstallSnapshot(term, from, index, term, Set.of("n1", "n2", "n3"), 12, 7, offset, new byte[length],
        done);
  }

  // ---- compaction --------------------------------------------------------------------------------------------------

  /** Reference: section 7, "each server takes snapshots independently, covering just the committed entries". */
  @Test
  void aSnapshotIsAskedForOnceEnoughIsAppliedAndCompactsTheLogOnceWritten() {
    leadAndCommit("a", "b", "c", "d");
    assertThat(n1.snapshotsDue).as("5 applied: below the threshold of 6").isEmpty();

    leadAndCommitMore("e");

    assertThat(n1.snapshotsDue).extracting(Ready.SnapshotDue::index).containsExactly(6L);
    SnapshotMeta meta = writeDueSnapshot();
    assertThat(n1.core.log().snapshotIndex()).isEqualTo(6);
    assertThat(n1.core.log().entries()).isEmpty();
    assertThat(n1.storage.snapshot()).as("the snapshot's record is durable").isEqualTo(meta);
  }

  private void leadAndCommitMore(String... commands) {
    for (String c : commands) {
      long index = n1.propose(c);
      n1.step(AppendEntriesReply.accepted(1, "n2", index));
    }
  }

  /** Reference: section 7, a restarted server starts from its snapshot and the log after it. */
  @Test
  void aRestartedReplicaStartsFromItsSnapshotAndTheEntriesAfterIt() {
    leadAndCommit("a", "b", "c", "d", "e");
    writeDueSnapshot();
    leadAndCommitMore("f");

    n1.restart();

    assertThat(n1.core.snapshot().lastIncludedIndex()).isEqualTo(6);
    assertThat(n1.core.commitIndex()).as("what the snapshot holds is committed").isEqualTo(6);
    assertThat(n1.core.log().entries()).extracting(LogEntry::index).containsExactly(7L);
  }

  /** Only one snapshot at a time: the next is asked for once the one in progress is written (or failed). */
  @Test
  void noSecondSnapshotIsAskedForWhileOneIsBeingWritten() {
    leadAndCommit("a", "b", "c", "d", "e");
    assertThat(n1.snapshotsDue).hasSize(1);

    leadAndCommitMore("f", "g", "h", "i", "j", "k", "l");

    assertThat(n1.snapshotsDue).hasSize(1);
    n1.core.snapshotWriteFailed();
    leadAndCommitMore("m");
    assertThat(n1.snapshotsDue).hasSize(2);
  }

  // ---- InstallSnapshot, leader side --------------------------------------------------------------------------------

  /**
   * While a snapshot goes to a follower, heartbeats go too, at the follower's known match, which its log holds. n3
   * never answered, so its known match (0) is compacted away on this leader, which knows no term for it: the heartbeat
   * goes at the snapshot instead, a message every follower reads (a term of -1 would be dropped as malformed, so n3
   * would hear no heartbeat during the transfer). n3, lacking the snapshot, rejects it, which leaves the transfer be.
   */
  @Test
  void aHeartbeatDuringASnapshotTransferGoesAtTheSnapshotAndIsWellFormed() {
    startTransferToN3();
    n1.take("n3");

    n1.tick();

    AppendEntries heartbeat = n1.lastAppend("n3");
    assertThat(heartbeat.entries()).isEmpty();
    assertThat(heartbeat.prevLogIndex()).isEqualTo(6);
    assertThat(heartbeat.prevLogTerm()).isEqualTo(1);
    assertThat(MessageValidator.problem(heartbeat, SETTINGS)).isNull();
    n1.step(AppendEntriesReply.rejected(1, "n3", 6, 1, 0));
    n1.step(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    assertThat(n1.chunksToSend).as("the transfer goes on").extracting(Ready.ChunkToSend::to).contains("n3");
  }

  /**
   * Reference: section 7, "the leader uses a new RPC called InstallSnapshot to send snapshots to followers that are too
   * far behind". n3 never answered, so it needs index 1 on, which is compacted. It gets the snapshot in bounded
   * chunks, at most two unacknowledged, then entries from right after the snapshot.
   */
  @Test
  void aFollowerBehindTheCompactionPointGetsTheSnapshotInChunksThenEntries() {
    leadAndCommit("a", "b", "c", "d", "e");
    SnapshotMeta meta = writeDueSnapshot();
    n1.step(AppendEntriesReply.rejected(1, "n3", 6, 1, 0));

    n1.tick();

    assertThat(n1.chunksToSend).extracting(Ready.ChunkToSend::offset).containsExactly(0L, (long) CHUNK);
    assertThat(n1.chunksToSend).allSatisfy(c -> {
      assertThat(c.to()).isEqualTo("n3");
      assertThat(c.snapshot()).isEqualTo(meta);
      assertThat(c.length()).isLessThanOrEqualTo(CHUNK);
    });
    n1.chunksToSend.clear();
    n1.step(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    assertThat(n1.chunksToSend).extracting(Ready.ChunkToSend::offset, Ready.ChunkToSend::done)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(16L, true));

    n1.step(InstallSnapshotReply.installed(1, "n3", 6));
    n1.take("n3");
    long index = n1.propose("f");

    AppendEntries append = n1.lastAppend("n3");
    assertThat(append.prevLogIndex()).isEqualTo(6);
    assertThat(append.prevLogTerm()).isEqualTo(1);
    assertThat(append.entries()).extracting(LogEntry::index).containsExactly(index);
  }

  /** A follower that reports holding fewer bytes than were sent gets the rest again from exactly that offset. */
  @Test
  void aSnapshotTransferResumesFromTheOffsetTheFollowerReports() {
    startTransferToN3();

    // The first chunk arrived, the second was lost; the third (sent on the first's ack) does not fit.
    n1.step(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    assertThat(n1.chunksToSend).extracting(Ready.ChunkToSend::offset).containsExactly(16L);
    n1.chunksToSend.clear();
    n1.step(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    assertThat(n1.chunksToSend).as("resumed where the follower is").extracting(Ready.ChunkToSend::offset)
        .containsExactly((long) CHUNK, 16L);
    n1.chunksToSend.clear();

    // And with no answer at all for a heartbeat interval, it resumes from the last acknowledged offset too.
    n1.tick();
    n1.tick();
    assertThat(n1.chunksToSend).extracting(Ready.ChunkToSend::offset).startsWith((long) CHUNK);
  }

  /** Reference: sections 5.1 and 7: a leader that loses its term stops sending its snapshot. */
  @Test
  void aLeaderThatStepsDownAbortsItsSnapshotTransfer() {
    startTransferToN3();

    n1.step(AppendEntriesReply.rejected(2, "n2", 0, 0, 0));
    n1.step(InstallSnapshotReply.progress(2, "n3", 6, CHUNK));
    n1.tick();

    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.chunksToSend).isEmpty();
  }

  /** A snapshot file that cannot be read ends the transfer; the next heartbeat starts a new one. */
  @Test
  void aSnapshotThatCannotBeReadIsSentAgainFromTheStart() {
    startTransferToN3();

    n1.core.snapshotSendFailed("n3");
    n1.tick();
    n1.tick();

    assertThat(n1.chunksToSend).extracting(Ready.ChunkToSend::offset).startsWith(0L);
  }

  // ---- InstallSnapshot, follower side ------------------------------------------------------------------------------

  /**
   * Reference: section 7, the follower hands chunks to its receiver and replaces its state and log only once the last
   * one arrived complete; the snapshot's record is durable before it says so, and survives a restart.
   */
  @Test
  void aFollowerInstallsTheSnapshotOnlyOnceCompleteAndKeepsItAcrossARestart() {
    InstallSnapshot first = chunk(1, "n2", 10, 0, 8, false);
    InstallSnapshot last = chunk(1, "n2", 10, 8, 4, true);

    n1.step(first);
    assertThat(n1.chunksToStore).containsExactly(first);
    n1.core.snapshotChunkStored(first, 8);
    n1.drive();
    assertThat(n1.takeOne("n2", InstallSnapshotReply.class).nextOffset()).isEqualTo(8);
    assertThat(n1.core.applied()).as("nothing replaced before the last chunk").isZero();

    n1.step(last);
    n1.holdWrites = true;
    assertThat(n1.core.snapshotReceived(last)).isTrue();
    n1.drive();

    assertThat(n1.restored).extracting(SnapshotMeta::lastIncludedIndex).containsExactly(10L);
    assertThat(n1.take("n2")).as("installed is said only once durable").isEmpty();
    n1.completeWrite();
    assertThat(n1.takeOne("n2", InstallSnapshotReply.class).installed()).isTrue();
    assertThat(n1.core.commitIndex()).isEqualTo(10);
    assertThat(n1.core.applied()).isEqualTo(10);

    n1.holdWrites = false;
    n1.step(new AppendEntries(1, "n2", 10, 1, List.of(CoreHarness.cmd(11, 1, "v")), 11));
    assertThat(n1.takeOne("n2", AppendEntriesReply.class).matchIndex()).isEqualTo(11);
    assertThat(n1.applied).containsExactly("v");

    n1.restart();
    assertThat(n1.core.snapshot().lastIncludedIndex()).isEqualTo(10);
    assertThat(n1.core.log().lastIndex()).isEqualTo(11);
  }

  /** A chunk the receiver could not use (a checksum mismatch, a disk error) makes the leader start over. */
  @Test
  void aRejectedChunkAsksTheLeaderToStartOver() {
    InstallSnapshot first = chunk(1, "n2", 10, 0, 8, false);
    n1.step(first);

    n1.core.snapshotChunkRejected(first);
    n1.drive();

    assertThat(n1.takeOne("n2", InstallSnapshotReply.class).restart()).isTrue();
    assertThat(n1.core.snapshot()).isNull();
  }

  /** Reference: sections 7 and 5.1: a chunk of an old leader's transfer is refused for its stale term. */
  @Test
  void aChunkFromAStaleLeaderIsRefusedWithTheCurrentTerm() {
    n1.step(chunk(2, "n3", 12, 0, 8, false));
    n1.chunksToStore.clear();

    n1.step(chunk(1, "n2", 10, 8, 4, true));

    assertThat(n1.chunksToStore).as("never reaches the receiver").isEmpty();
    InstallSnapshotReply refused = n1.takeOne("n2", InstallSnapshotReply.class);
    assertThat(refused.term()).isEqualTo(2);
    assertThat(refused.installed()).isFalse();
  }

  /** A snapshot completed after the term moved on is not installed: its leader is gone. */
  @Test
  void aSnapshotCompletedAfterTheTermMovedOnIsNotInstalled() {
    InstallSnapshot last = chunk(1, "n2", 10, 0, 12, true);
    n1.step(last);

    n1.step(new AppendEntries(2, "n3", 0, 0, List.of(), 0));

    assertThat(n1.core.snapshotReceived(last)).isFalse();
    assertThat(n1.core.snapshot()).isNull();
  }

  /** A snapshot this follower already has committed is acknowledged as installed without touching anything. */
  @Test
  void aSnapshotAtOrBelowTheCommitIndexIsAcknowledgedWithoutInstalling() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(CoreHarness.cmd(1, 1, "a"), CoreHarness.cmd(2, 1, "b")), 2));
    n1.take("n2");

    n1.step(chunk(1, "n2", 2, 0, 12, true));

    assertThat(n1.takeOne("n2", InstallSnapshotReply.class).installed()).isTrue();
    assertThat(n1.chunksToStore).isEmpty();
    assertThat(n1.applied).containsExactly("a", "b");
    assertThat(n1.core.snapshot()).isNull();
  }
}
