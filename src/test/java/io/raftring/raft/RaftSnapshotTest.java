package io.raftring.raft;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.persistence.testkit.javadsl.SnapshotTestKit;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.ReplicaProtocol.Command;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots, log compaction and InstallSnapshot (Raft paper, section 7), with one replica ("n1") driven message by
 * message while the test plays its peers "n2" and "n3". Snapshots are taken after 6 applied entries (the NO-OP and five commands) and sent in
 * chunks of 16 bytes, 2 at a time, so that every path is short to drive.
 */
class RaftSnapshotTest {

  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static final Duration ELECTION_MAX = RaftSettings.defaults().electionTimeoutMax();
  private static final Duration HEARTBEAT = RaftSettings.defaults().heartbeatInterval();
  private static final Duration AWAIT = Duration.ofSeconds(5);
  private static final int CHUNK = 16;
  /** Five commands whose snapshot (40 bytes) takes three chunks. */
  private static final String[] COMMANDS = {"alpha", "bravo", "charlie", "delta", "echo"};
  private static final RaftSettings SETTINGS =
      RaftSettings.defaults().withSnapshotThresholds(6, 1 << 20).withSnapshotChunks(CHUNK, 2);

  private static ActorTestKit kit;
  private static ManualTime time;
  private static PersistenceTestKit journal;
  private static SnapshotTestKit snapshots;
  private static Path snapshotRoot;

  private ReplicaId id;
  private TestProbe<Command> n2;
  private TestProbe<Command> n3;
  private RecordingStateMachine machine;
  private ActorRef<Command> replica;

  @BeforeAll
  static void startKit() throws IOException {
    snapshotRoot = Files.createTempDirectory("raftring-snapshot-test");
    kit = ReplicaTestKit.create("RaftSnapshotTest");
    time = ManualTime.get(kit.system());
    journal = PersistenceTestKit.create(kit.system());
    snapshots = SnapshotTestKit.create(kit.system());
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startReplica() {
    id = new ReplicaId("s" + GROUPS.incrementAndGet(), "n1");
    n2 = kit.createTestProbe();
    n3 = kit.createTestProbe();
    replica = spawnReplica();
  }

  private ActorRef<Command> spawnReplica() {
    Map<String, ActorRef<Command>> refs = Map.of("n2", n2.ref(), "n3", n3.ref());
    return ReplicaTestKit.spawnRecovered(kit, RaftReplica.create(id, Set.of("n1", "n2", "n3"),
        SETTINGS.withSnapshotDir(snapshotRoot), ctx -> new StaticPeers(refs),
        () -> machine = new RecordingStateMachine(), new Random(7)));
  }

  private void restartReplica() {
    kit.stop(replica);
    replica = spawnReplica();
  }

  private ReplicaProtocol.Status status() {
    return ReplicaTestKit.status(kit, replica);
  }

  private List<LogEntry> logOf() {
    return ReplicaTestKit.log(kit, replica);
  }

  private Path replicaDir() {
    return snapshotRoot.resolve(URLEncoder.encode(id.persistenceId(), StandardCharsets.UTF_8));
  }

  private List<String> filesInReplicaDir() throws IOException {
    if (!Files.isDirectory(replicaDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(replicaDir())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** The next message of {@code type} to {@code peer}, skipping others (heartbeats, the other RPC). */
  private static <T extends Command> T next(TestProbe<Command> peer, Class<T> type) {
    for (int i = 0; i < 100; i++) {
      Command m = peer.receiveMessage(AWAIT);
      if (type.isInstance(m)) {
        return type.cast(m);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in 100 messages");
  }

  /** n1 wins term 1 with n2's vote, and n2 stores its NO-OP (index 1), which commits. */
  private void electN1AndCommitNoop() {
    time.timePasses(ELECTION_MAX);
    RequestVote preVote = next(n2, RequestVote.class);
    replica.tell(new RequestVoteReply(preVote.term(), "n2", true, true));
    RequestVote vote = next(n2, RequestVote.class);
    replica.tell(new RequestVoteReply(vote.term(), "n2", true, false));
    AppendEntries noop = next(n2, AppendEntries.class);
    replica.tell(AppendEntriesReply.accepted(1, "n2", noop.lastIndex()));
  }

  /** Proposes {@code commands} one by one, each stored by n2 and so committed and applied. */
  private void commit(String... commands) {
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    for (String c : commands) {
      replica.tell(new ReplicaProtocol.Propose(bytes(c), client.ref()));
      AppendEntries append = next(n2, AppendEntries.class);
      while (append.entries().isEmpty()) {
        append = next(n2, AppendEntries.class);
      }
      replica.tell(AppendEntriesReply.accepted(1, "n2", append.lastIndex()));
      assertThat(client.receiveMessage()).isInstanceOf(ReplicaProtocol.Applied.class);
    }
  }

  private void awaitSnapshotAt(long index) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(AWAIT, () -> {
      assertThat(status().snapshotIndex()).isEqualTo(index);
      return null;
    });
  }

  /** A leader of {@code term} and its snapshot at {@code index} of {@code commands}, cut into chunks. */
  private static List<InstallSnapshot> chunksOf(
      long term, String leader, long index, List<String> commands, int chunkBytes, Long crcOverride)
      throws IOException {
    byte[] whole = RecordingStateMachine.snapshotOf(commands);
    CRC32 crc = new CRC32();
    crc.update(whole);
    long checksum = crcOverride != null ? crcOverride : crc.getValue();
    List<InstallSnapshot> chunks = new ArrayList<>();
    for (int offset = 0; offset < whole.length; offset += chunkBytes) {
      int end = Math.min(whole.length, offset + chunkBytes);
      chunks.add(new InstallSnapshot(term, leader, index, term, Set.of("n1", "n2", "n3"), whole.length, checksum,
          offset, Arrays.copyOfRange(whole, offset, end), end == whole.length));
    }
    return chunks;
  }

  private static List<String> restoredFrom(byte[] snapshot) throws IOException {
    RecordingStateMachine restored = new RecordingStateMachine();
    restored.restore(new ByteArrayInputStream(snapshot));
    return List.copyOf(restored.applied);
  }

  // ---- compaction and recovery -------------------------------------------------------------------------------------

  /** Reference: section 7, "each server takes snapshots independently, covering just the committed entries". */
  @Test
  void aReplicaSnapshotsOnceTheThresholdIsPassedAndDeletesTheEventsBelowIt() throws IOException {
    electN1AndCommitNoop();
    commit("a", "b", "c", "d");
    assertThat(status().snapshotIndex()).as("5 applied since the start: below the threshold").isZero();
    commit("e");
    awaitSnapshotAt(6);
    ReplicaProtocol.Status s = status();
    assertThat(s.lastIndex()).isEqualTo(6);
    assertThat(s.lastApplied()).isEqualTo(6);
    assertThat(logOf()).as("entries up to the snapshot are compacted away").isEmpty();
    assertThat(filesInReplicaDir()).containsExactly(SnapshotFiles.fileName(6, 1));
    assertThat(snapshots.persistedInStorage(id.persistenceId())).hasSize(1);
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(AWAIT, () -> {
      assertThat(journal.persistedInStorage(id.persistenceId())).as("events below the snapshot deleted").isEmpty();
      return null;
    });
  }

  /** Reference: section 7, recovery loads the newest snapshot and replays only the log after it. */
  @Test
  void aRestartedReplicaRecoversFromItsSnapshotAndTheEventsAfterIt() {
    electN1AndCommitNoop();
    commit("a", "b", "c", "d", "e");
    awaitSnapshotAt(6);
    commit("f", "g");
    List<LogEntry> suffix = logOf();
    assertThat(suffix).extracting(LogEntry::index).containsExactly(7L, 8L);
    restartReplica();
    ReplicaProtocol.Status s = status();
    assertThat(s.snapshotIndex()).isEqualTo(6);
    assertThat(s.lastIndex()).isEqualTo(8);
    assertThat(s.lastApplied()).as("the snapshot's entries are applied from the file").isEqualTo(6);
    assertThat(s.term()).isEqualTo(1);
    assertThat(logOf()).isEqualTo(suffix);
    assertThat(machine.applied).containsExactly("a", "b", "c", "d", "e");
  }

  /** A crash after the snapshot is durable but before the events below it are deleted loses nothing. */
  @Test
  void aCrashBetweenTheSnapshotAndTheDeletionOfEventsLosesNothing() {
    journal.failNextDelete(id.persistenceId());
    electN1AndCommitNoop();
    commit("a", "b", "c", "d", "e");
    awaitSnapshotAt(6);
    assertThat(journal.persistedInStorage(id.persistenceId())).as("the deletion failed").isNotEmpty();
    commit("f");
    restartReplica();
    ReplicaProtocol.Status s = status();
    assertThat(s.snapshotIndex()).isEqualTo(6);
    assertThat(s.lastIndex()).isEqualTo(7);
    assertThat(machine.applied).containsExactly("a", "b", "c", "d", "e");
    assertThat(logOf()).extracting(LogEntry::index).containsExactly(7L);
  }

  // ---- InstallSnapshot, leader side ----------------------------------------------------------------------------------

  /**
   * Reference: section 7, "the leader must occasionally send snapshots to followers that lag behind": n3 never
   * answered, so it needs index 1 on, which is compacted. It gets the snapshot in bounded chunks, at most two
   * unacknowledged, and then entries from right after the snapshot.
   */
  @Test
  void aFollowerBehindTheCompactionPointGetsTheSnapshotInChunksThenEntries() throws IOException {
    electN1AndCommitNoop();
    commit(COMMANDS);
    awaitSnapshotAt(6);
    time.timePasses(HEARTBEAT);
    InstallSnapshot first = next(n3, InstallSnapshot.class);
    InstallSnapshot chunk = next(n3, InstallSnapshot.class);
    assertThat(first.offset()).isZero();
    assertThat(chunk.offset()).isEqualTo(CHUNK);
    n3.expectNoMessage(Duration.ofMillis(50));
    assertThat(first.lastIncludedIndex()).isEqualTo(6);
    assertThat(first.lastIncludedTerm()).isEqualTo(1);
    assertThat(first.voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
    ByteArrayOutputStream assembled = new ByteArrayOutputStream();
    assembled.write(first.data());
    assembled.write(chunk.data());
    replica.tell(InstallSnapshotReply.progress(1, "n3", 6, first.endOffset()));
    while (!chunk.done()) {
      assertThat(chunk.data().length).isLessThanOrEqualTo(CHUNK);
      replica.tell(InstallSnapshotReply.progress(1, "n3", 6, chunk.endOffset()));
      chunk = next(n3, InstallSnapshot.class);
      assertThat(chunk.offset()).isEqualTo(assembled.size());
      assembled.write(chunk.data());
    }
    assertThat(assembled.size()).isEqualTo(chunk.totalBytes()).isGreaterThan(2 * CHUNK);
    CRC32 crc = new CRC32();
    crc.update(assembled.toByteArray());
    assertThat(crc.getValue()).isEqualTo(chunk.crc32());
    assertThat(restoredFrom(assembled.toByteArray())).containsExactly(COMMANDS);

    replica.tell(InstallSnapshotReply.installed(1, "n3", 6));
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("foxtrot"), client.ref()));
    AppendEntries append = next(n3, AppendEntries.class);
    while (append.entries().isEmpty()) {
      append = next(n3, AppendEntries.class);
    }
    assertThat(append.prevLogIndex()).isEqualTo(6);
    assertThat(append.prevLogTerm()).isEqualTo(1);
    assertThat(append.entries()).extracting(LogEntry::index).containsExactly(7L);
    replica.tell(AppendEntriesReply.accepted(1, "n3", 7));
    assertThat(client.receiveMessage()).isInstanceOf(ReplicaProtocol.Applied.class);
  }

  /** A follower that reports holding fewer bytes than were sent gets the rest again from exactly that offset. */
  @Test
  void aSnapshotTransferResumesFromTheOffsetTheFollowerReports() {
    electN1AndCommitNoop();
    commit(COMMANDS);
    awaitSnapshotAt(6);
    time.timePasses(HEARTBEAT);
    next(n3, InstallSnapshot.class);
    next(n3, InstallSnapshot.class);
    // The first chunk arrived, the second was lost; the third (sent on the first's ack) does not fit.
    replica.tell(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    assertThat(next(n3, InstallSnapshot.class).offset()).isEqualTo(2 * CHUNK);
    replica.tell(InstallSnapshotReply.progress(1, "n3", 6, CHUNK));
    InstallSnapshot resent = next(n3, InstallSnapshot.class);
    assertThat(resent.offset()).as("resumed where the follower is").isEqualTo(CHUNK);
    assertThat(next(n3, InstallSnapshot.class).offset()).isEqualTo(2 * CHUNK);
    // And with no answer at all for a heartbeat interval, it resumes from the last acknowledged offset too.
    time.timePasses(HEARTBEAT);
    time.timePasses(HEARTBEAT);
    assertThat(next(n3, InstallSnapshot.class).offset()).isEqualTo(CHUNK);
  }

  /** Reference: section 5.1 and 7: a leader that loses its term stops sending its snapshot. */
  @Test
  void aLeaderThatStepsDownAbortsItsSnapshotTransfer() {
    electN1AndCommitNoop();
    commit(COMMANDS);
    awaitSnapshotAt(6);
    time.timePasses(HEARTBEAT);
    next(n3, InstallSnapshot.class);
    replica.tell(AppendEntriesReply.rejected(2, "n2", 0, 0, 0));
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
    replica.tell(InstallSnapshotReply.progress(2, "n3", 6, CHUNK));
    time.timePasses(HEARTBEAT);
    n3.receiveSeveralMessages(1);
    n3.expectNoMessage(Duration.ofMillis(100));
  }

  // ---- InstallSnapshot, follower side --------------------------------------------------------------------------------

  /**
   * Reference: section 7, the follower writes chunks at their offsets and replaces its state and log only once the
   * last one arrived; the state after restore equals the leader's, and survives a restart.
   */
  @Test
  void aFollowerInstallsTheSnapshotOnlyAfterTheLastChunkAndKeepsItAcrossARestart() throws IOException {
    List<String> state = List.of("x", "y", "z", "w");
    List<InstallSnapshot> chunks = chunksOf(1, "n2", 10, state, 4, null);
    assertThat(chunks.size()).isGreaterThan(2);
    for (InstallSnapshot chunk : chunks.subList(0, chunks.size() - 1)) {
      replica.tell(chunk);
      InstallSnapshotReply reply = next(n2, InstallSnapshotReply.class);
      assertThat(reply.nextOffset()).isEqualTo(chunk.endOffset());
      assertThat(reply.installed()).isFalse();
    }
    assertThat(status().lastApplied()).as("nothing replaced before the last chunk").isZero();
    assertThat(machine.applied).isEmpty();
    replica.tell(chunks.get(chunks.size() - 1));
    assertThat(next(n2, InstallSnapshotReply.class).installed()).isTrue();
    ReplicaProtocol.Status s = status();
    assertThat(s.snapshotIndex()).isEqualTo(10);
    assertThat(s.lastIndex()).isEqualTo(10);
    assertThat(s.commitIndex()).isEqualTo(10);
    assertThat(s.lastApplied()).isEqualTo(10);
    assertThat(machine.applied).containsExactlyElementsOf(state);
    assertThat(filesInReplicaDir()).containsExactly(SnapshotFiles.fileName(10, 1));

    replica.tell(new AppendEntries(1, "n2", 10, 1, List.of(LogEntry.command(11, 1, bytes("v"))), 11));
    AppendEntriesReply appended = next(n2, AppendEntriesReply.class);
    assertThat(appended.success()).isTrue();
    assertThat(appended.matchIndex()).isEqualTo(11);
    assertThat(machine.applied).containsExactly("x", "y", "z", "w", "v");

    restartReplica();
    assertThat(status().snapshotIndex()).isEqualTo(10);
    assertThat(status().lastIndex()).isEqualTo(11);
    assertThat(machine.applied).containsExactlyElementsOf(state);
  }

  /** A chunk past a gap is not written; the answer names the offset the follower holds, for the leader to resume. */
  @Test
  void aChunkAtAnUnexpectedOffsetIsAnsweredWithTheOffsetHeld() throws IOException {
    List<InstallSnapshot> chunks = chunksOf(1, "n2", 10, List.of("x", "y", "z", "w"), 4, null);
    replica.tell(chunks.get(0));
    assertThat(next(n2, InstallSnapshotReply.class).nextOffset()).isEqualTo(4);
    replica.tell(chunks.get(2));
    assertThat(next(n2, InstallSnapshotReply.class).nextOffset()).isEqualTo(4);
    replica.tell(chunks.get(0));
    assertThat(next(n2, InstallSnapshotReply.class).nextOffset()).as("a duplicate changes nothing").isEqualTo(4);
    for (InstallSnapshot chunk : chunks.subList(1, chunks.size())) {
      replica.tell(chunk);
    }
    InstallSnapshotReply reply = next(n2, InstallSnapshotReply.class);
    while (!reply.installed()) {
      assertThat(reply.restart()).isFalse();
      reply = next(n2, InstallSnapshotReply.class);
    }
    assertThat(machine.applied).containsExactly("x", "y", "z", "w");
  }

  /** A snapshot whose bytes do not match the checksum is refused whole: nothing changes, the leader starts over. */
  @Test
  void aSnapshotWithAChecksumMismatchIsRejectedAndChangesNothing() throws IOException {
    List<InstallSnapshot> chunks = chunksOf(1, "n2", 10, List.of("x", "y", "z"), 4, 12345L);
    for (InstallSnapshot chunk : chunks) {
      replica.tell(chunk);
    }
    InstallSnapshotReply reply = next(n2, InstallSnapshotReply.class);
    while (!reply.restart()) {
      assertThat(reply.installed()).isFalse();
      reply = next(n2, InstallSnapshotReply.class);
    }
    ReplicaProtocol.Status s = status();
    assertThat(s.snapshotIndex()).isZero();
    assertThat(s.lastApplied()).isZero();
    assertThat(machine.applied).isEmpty();
    assertThat(filesInReplicaDir()).as("the partial file is gone").isEmpty();
  }

  /**
   * Reference: section 7 and 5.1: a new leader's snapshot replaces a transfer from the old one, which is then refused
   * for its stale term.
   */
  @Test
  void aTransferInterruptedByALeaderChangeStartsOverAndTheOldLeaderIsRefused() throws IOException {
    List<InstallSnapshot> old = chunksOf(1, "n2", 10, List.of("x", "y", "z", "w"), 4, null);
    replica.tell(old.get(0));
    replica.tell(old.get(1));
    assertThat(next(n2, InstallSnapshotReply.class).nextOffset()).isEqualTo(4);
    assertThat(next(n2, InstallSnapshotReply.class).nextOffset()).isEqualTo(8);

    List<InstallSnapshot> fresh = chunksOf(2, "n3", 12, List.of("p", "q", "r", "s", "t"), 4, null);
    replica.tell(fresh.get(1));
    assertThat(next(n3, InstallSnapshotReply.class).nextOffset()).as("a new transfer starts at 0").isZero();
    replica.tell(old.get(2));
    InstallSnapshotReply refused = next(n2, InstallSnapshotReply.class);
    assertThat(refused.term()).as("the old leader learns of term 2").isEqualTo(2);
    for (InstallSnapshot chunk : fresh) {
      replica.tell(chunk);
    }
    InstallSnapshotReply reply = next(n3, InstallSnapshotReply.class);
    while (!reply.installed()) {
      reply = next(n3, InstallSnapshotReply.class);
    }
    ReplicaProtocol.Status s = status();
    assertThat(s.snapshotIndex()).isEqualTo(12);
    assertThat(s.term()).isEqualTo(2);
    assertThat(s.leader()).isEqualTo("n3");
    assertThat(machine.applied).containsExactly("p", "q", "r", "s", "t");
    assertThat(filesInReplicaDir()).containsExactly(SnapshotFiles.fileName(12, 2));
  }

  /** A snapshot this follower already has committed is acknowledged as installed without touching anything. */
  @Test
  void aSnapshotAtOrBelowTheCommitIndexIsAcknowledgedWithoutInstalling() throws IOException {
    replica.tell(new AppendEntries(1, "n2", 0, 0,
        List.of(LogEntry.command(1, 1, bytes("a")), LogEntry.command(2, 1, bytes("b"))), 2));
    next(n2, AppendEntriesReply.class);
    replica.tell(chunksOf(1, "n2", 2, List.of("other"), 1024, null).get(0));
    assertThat(next(n2, InstallSnapshotReply.class).installed()).isTrue();
    assertThat(machine.applied).containsExactly("a", "b");
    assertThat(status().snapshotIndex()).isZero();
  }
}
