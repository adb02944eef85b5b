package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.ReplicaProtocol.Command;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.ReadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What a replica's three behaviours share: the {@link RaftCore}, the state machine, the log actor, the peers, the
 * timers, the snapshot files; and the one place that carries out a {@link Ready} (etcd's "driver" loop): send, hand
 * the write to the log, restore, apply, serve reads, store and send snapshot chunks, start snapshots.
 *
 * <p>Raft messages, storage reports and timers are carried out at once (they are on the write path's critical
 * path); client requests schedule one {@link RaftReplica.Internal#PROCESS_READY} to this actor's own mailbox (if none
 * is scheduled yet), so a burst of proposals shares one Ready: one write, one AppendEntries per follower.
 */
final class ReplicaDriver {

  /** Told what the Ready being carried out applied, so the leader can answer its clients. */
  interface Listener {
    void applied(LogEntry entry, byte[] result);

    void transferEnded(Ready.TransferEnded ended);
  }

  private static final String ELECTION_TIMER = "election";
  private static final String HEARTBEAT_TIMER = "heartbeat";
  private static final Duration LATE_BEATS_TOLD_EVERY = Duration.ofSeconds(5);

  final ActorContext<Command> context;
  final TimerScheduler<Command> timers;
  final ReplicaId id;
  final RaftSettings settings;
  final RaftCore core;
  private final Peers peers;
  private final StateMachine stateMachine;
  private final Random random;
  final LongSupplier nanoClock;
  private final SnapshotFiles snapshotFiles;
  /** Where snapshot files are written when the state machine offers a point-in-time view: off the actor. */
  private final Executor snapshotWriter;
  private final ActorRef<ReplicaLog.Command> log;
  private final ActorRef<ReplicaLog.Persisted> persisted;
  private boolean readyScheduled;
  private final LateHeartbeats lateBeats;
  /** Whether the role's timer is stopped because the core is quiet. */
  private boolean timersStopped;
  /** The leader's snapshot being received, chunk by chunk; null when none is. */
  private SnapshotReceiver receiver;
  /** A received snapshot the core accepted, to be restored with the next Ready. */
  private SnapshotReceiver received;
  /** Snapshot files open for sending, by name: open for the whole transfer, so a newer snapshot's cleanup cannot cut it. */
  private final Map<String, FileChannel> sending = new HashMap<>();

  ReplicaDriver(ActorContext<Command> context, TimerScheduler<Command> timers, ReplicaId id, RaftSettings settings,
      Peers peers, StateMachine stateMachine, Random random, LongSupplier nanoClock, SnapshotFiles snapshotFiles,
      ActorRef<ReplicaLog.Command> log, RaftCore core) {
    this.context = context;
    this.timers = timers;
    this.id = id;
    this.settings = settings;
    this.peers = peers;
    this.stateMachine = stateMachine;
    this.random = random;
    this.nanoClock = nanoClock;
    this.snapshotFiles = snapshotFiles;
    this.snapshotWriter = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.log = log;
    this.persisted = context.getSelf().narrow();
    this.core = core;
    this.lateBeats = new LateHeartbeats(settings.heartbeatInterval().toNanos(), LATE_BEATS_TOLD_EVERY.toNanos());
  }

  // ---- timers ------------------------------------------------------------------------------------------------------

  /** A follower's or candidate's randomized election timeout (section 5.2), from now. */
  void startElectionTimer() {
    timers.cancel(HEARTBEAT_TIMER);
    long min = settings.electionTimeoutMin().toNanos();
    long spread = settings.electionTimeoutMax().toNanos() - min;
    long timeout = min + (long) (random.nextDouble() * spread);
    timers.startSingleTimer(ELECTION_TIMER, RaftReplica.Internal.ELECTION_TIMEOUT, Duration.ofNanos(timeout));
  }

  /**
   * A leader's heartbeat, at a fixed rate, in phase with every other leader's on this node: the first comes at the
   * next multiple of the interval on the node's monotonic clock. The leaders of many groups then send their
   * AppendEntries together, and the per-node mailer carries them to each other node in one remote message instead of
   * one per group (their followers' replies likewise), which is most of what idle groups cost.
   */
  void startHeartbeat() {
    timers.cancel(ELECTION_TIMER);
    long interval = settings.heartbeatInterval().toNanos();
    long now = nanoClock.getAsLong();
    long untilNextBeat = interval - Math.floorMod(now, interval);
    lateBeats.started(now + untilNextBeat);
    timers.startTimerAtFixedRate(HEARTBEAT_TIMER, RaftReplica.Internal.HEARTBEAT, Duration.ofNanos(untilNextBeat),
        settings.heartbeatInterval());
  }

  /** The leader's heartbeat fired: warns when it fired late ({@link LateHeartbeats}). */
  void heartbeatFired() {
    LateHeartbeats.Late late = lateBeats.fired(nanoClock.getAsLong());
    if (late != null) {
      context.getLog().warn("{} sent its heartbeat {} ms after the last one (due every {} ms; {} more late since the "
              + "last such warning): its leadership is at risk past {} ms, and the node's scheduling-delay probe says "
              + "whether the process or a dispatcher waited", id, late.gapNanos() / 1_000_000,
          settings.heartbeatInterval().toMillis(), late.untoldBefore(), settings.electionTimeoutMin().toMillis());
    }
  }

  /** A quiet core runs no timer; one that woke gets its role's timer back (see {@link RaftCore#quiesced()}). */
  private void followQuiescence() {
    if (core.quiesced() == timersStopped) {
      return;
    }
    timersStopped = core.quiesced();
    if (timersStopped) {
      timers.cancel(ELECTION_TIMER);
      timers.cancel(HEARTBEAT_TIMER);
      context.getLog().debug("{} is quiet", id);
    } else if (core.roleName() == RoleName.LEADER) {
      startHeartbeat();
    } else {
      startElectionTimer();
    }
  }

  // ---- inputs ------------------------------------------------------------------------------------------------------

  /** The core was told something: carry out its Ready once the messages already in the mailbox are handled too. */
  void scheduleReady() {
    if (!readyScheduled) {
      readyScheduled = true;
      context.getSelf().tell(RaftReplica.Internal.PROCESS_READY);
    }
  }

  void snapshotWritten(RaftReplica.SnapshotWritten m) {
    core.snapshotWritten(m.meta());
    context.getLog().debug("{} snapshot at {} ({} bytes) written", id, m.meta().lastIncludedIndex(),
        m.meta().sizeBytes());
    scheduleReady();
  }

  void snapshotWriteFailed(RaftReplica.SnapshotWriteFailed m) {
    context.getLog().warn("{} could not write a snapshot at {}; will try again", id, m.index(), m.cause());
    core.snapshotWriteFailed();
    scheduleReady();
  }

  /** Answers {@code read} from the applied state, as this replica stands now. */
  void serve(Read read) {
    byte[] result = stateMachine.query(read.query());
    read.replyTo().tell(new ReadResult(result, core.applied(), id.node(), core.roleName() == RoleName.LEADER));
  }

  // ---- carrying out a Ready ----------------------------------------------------------------------------------------

  /** Takes the core's Ready and carries it out; {@code listener} hears what was applied. */
  Ready processReady(Listener listener) {
    readyScheduled = false;
    Ready ready = core.ready();
    for (Ready.Envelope e : ready.messages()) {
      peers.send(e.to(), e.message());
    }
    if (ready.write() != null) {
      log.tell(new ReplicaLog.Append(ready.write(), persisted));
    }
    if (ready.snapshotDue() != null) {
      // Of the state as it stands now, at the snapshot's index: before this Ready's committed entries are applied.
      writeSnapshot(ready.snapshotDue());
    }
    if (ready.snapshotToRestore() != null) {
      restoreReceived(ready.snapshotToRestore());
    }
    for (LogEntry entry : ready.committedEntries()) {
      // A NO-OP or a configuration entry gives no result (configurations took effect when they were appended).
      byte[] result = entry.kind() == LogEntry.Kind.COMMAND ? stateMachine.apply(entry.index(), entry.data()) : null;
      listener.applied(entry, result);
    }
    for (Ready.ReadState r : ready.readStates()) {
      serve((Read) r.request());
    }
    for (Object dropped : ready.readsDropped()) {
      ((Read) dropped).replyTo().tell(new ReplicaProtocol.NotLeader(null));
    }
    if (ready.transferEnded() != null) {
      listener.transferEnded(ready.transferEnded());
    }
    for (InstallSnapshot chunk : ready.chunksToStore()) {
      store(chunk);
    }
    if (!ready.chunksToSend().isEmpty() || !sending.isEmpty()) {
      Set<String> used = new java.util.HashSet<>();
      for (Ready.ChunkToSend chunk : ready.chunksToSend()) {
        used.add(chunk.snapshot().file());
        sendChunk(chunk);
      }
      closeUnused(used);
    }
    if (ready.resetElectionTimer() && core.roleName() != RoleName.LEADER) {
      startElectionTimer();
    }
    core.advance(ready);
    if (core.readyPending()) {
      scheduleReady();
    }
    followQuiescence();
    if (core.roleName() != RoleName.FOLLOWER) {
      discardIncoming();
    }
    if (core.roleName() != RoleName.LEADER) {
      closeSending();
    }
    return ready;
  }

  // ---- snapshots (section 7) ---------------------------------------------------------------------------------------
  //
  // How Raft snapshots fit Akka Persistence: the state machine's bytes go to a file of their own (SnapshotFiles),
  // written as a stream, synced and renamed before anything refers to it; then the core records it (SnapshotTaken,
  // or on a follower SnapshotInstalled) in its next write, and the log actor compacts its journal (see ReplicaLog).

  /** Writes the state machine at the point the core asked for: from a point-in-time view off the actor if it has one. */
  private void writeSnapshot(Ready.SnapshotDue due) {
    long index = due.index();
    long term = due.term();
    StateMachine.SnapshotView view = stateMachine.snapshotView();
    CompletableFuture<SnapshotFiles.Written> written;
    if (view == null) {
      // No point-in-time view: write the state now, on this thread; the replica answers nothing meanwhile.
      written = new CompletableFuture<>();
      try {
        written.complete(snapshotFiles.write(index, term, stateMachine::writeSnapshot));
      } catch (IOException | RuntimeException e) {
        written.completeExceptionally(e);
      }
    } else {
      written = CompletableFuture.supplyAsync(() -> {
        try {
          return snapshotFiles.write(index, term, view);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, snapshotWriter);
    }
    Configuration at = due.configuration();
    context.pipeToSelf(written, (w, failure) -> failure == null
        ? new RaftReplica.SnapshotWritten(new SnapshotMeta(index, term, List.copyOf(new TreeSet<>(at.voters())),
            SnapshotMeta.fileName(index, term), w.sizeBytes(), w.crc32(), List.copyOf(new TreeSet<>(at.learners()))))
        : new RaftReplica.SnapshotWriteFailed(index, failure));
  }

  /**
   * A chunk of the leader's snapshot: appended in order to a file; only when the last one arrived and the whole file
   * checks out is the core told, which decides whether to install it. A chunk of another term or another snapshot
   * ends the transfer in progress (a new leader starts over); one at an unexpected offset is answered with the
   * offset this follower holds, from which the leader resumes.
   */
  private void store(InstallSnapshot chunk) {
    if (receiver != null && !receiver.isFor(chunk)) {
      discardIncoming();
    }
    try {
      if (receiver == null) {
        if (chunk.offset() != 0) {
          core.snapshotChunkStored(chunk, 0);
          return;
        }
        receiver = new SnapshotReceiver(chunk.term(), chunk.lastIncludedIndex(), chunk.lastIncludedTerm(),
            snapshotFiles.incoming(chunk.lastIncludedIndex(), chunk.lastIncludedTerm()));
      }
      switch (receiver.accept(chunk)) {
        case APPENDED, OUT_OF_ORDER -> core.snapshotChunkStored(chunk, receiver.received());
        case CORRUPT -> {
          context.getLog().warn("{} snapshot at {} from {} failed its checksum; asking for it again", id,
              chunk.lastIncludedIndex(), chunk.from());
          discardIncoming();
          core.snapshotChunkRejected(chunk);
        }
        default -> {
          SnapshotReceiver complete = receiver;
          receiver = null;
          if (core.snapshotReceived(chunk)) {
            received = complete;
          } else {
            complete.discard();
          }
        }
      }
    } catch (IOException e) {
      context.getLog().warn("{} cannot store the snapshot at {} from {}; asking for it again", id,
          chunk.lastIncludedIndex(), chunk.from(), e);
      discardIncoming();
      core.snapshotChunkRejected(chunk);
    }
    scheduleReady();
  }

  /**
   * The core installed the snapshot {@code meta} it was told of: it becomes the state machine's state. The file was
   * verified whole; failing to read it now is a disk failure, and the replica stops as on a failed journal write.
   */
  private void restoreReceived(SnapshotMeta meta) {
    SnapshotReceiver complete = received;
    received = null;
    try {
      snapshotFiles.publish(complete.file(), meta.file());
      snapshotFiles.restore(meta, stateMachine);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(id + " could not install the snapshot at " + meta.lastIncludedIndex(), e);
    }
    context.getLog().info("{} installed a snapshot at {} ({} bytes)", id, meta.lastIncludedIndex(), meta.sizeBytes());
  }

  private void discardIncoming() {
    if (receiver != null) {
      receiver.discard();
      receiver = null;
    }
  }

  /** Reads a chunk of a snapshot file and sends it; a file that cannot be read ends the transfer. */
  private void sendChunk(Ready.ChunkToSend c) {
    SnapshotMeta meta = c.snapshot();
    try {
      FileChannel channel = sending.get(meta.file());
      if (channel == null) {
        channel = FileChannel.open(snapshotFiles.path(meta.file()), StandardOpenOption.READ);
        sending.put(meta.file(), channel);
      }
      ByteBuffer buffer = ByteBuffer.allocate(c.length());
      while (buffer.hasRemaining()) {
        int read = channel.read(buffer, c.offset() + buffer.position());
        if (read < 0) {
          throw new IOException("snapshot file ended at " + (c.offset() + buffer.position()) + " of "
              + meta.sizeBytes() + " bytes");
        }
      }
      peers.send(c.to(), new InstallSnapshot(c.term(), id.node(), meta.lastIncludedIndex(), meta.lastIncludedTerm(),
          Set.copyOf(meta.voters()), meta.sizeBytes(), meta.crc32(), c.offset(), buffer.array(), c.done(),
          Set.copyOf(meta.learners())));
    } catch (IOException e) {
      context.getLog().error("{} cannot read the snapshot at {} for {}; starting over", id, meta.lastIncludedIndex(),
          c.to(), e);
      FileChannel broken = sending.remove(meta.file());
      close(broken);
      core.snapshotSendFailed(c.to());
      scheduleReady();
    }
  }

  /**
   * Closes the files of snapshots older than the current one that no chunk of this Ready read: a transfer still on
   * one reopens it for its next chunk, or, once the file is deleted, starts over with the current snapshot.
   */
  private void closeUnused(Set<String> used) {
    SnapshotMeta current = core.snapshot();
    sending.entrySet().removeIf(e -> {
      boolean stale = !used.contains(e.getKey()) && (current == null || !current.file().equals(e.getKey()));
      if (stale) {
        close(e.getValue());
      }
      return stale;
    });
  }

  private void closeSending() {
    sending.values().forEach(ReplicaDriver::close);
    sending.clear();
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing left to release.
      }
    }
  }

  /** The replica stops: release files. */
  void stop() {
    discardIncoming();
    closeSending();
  }

  // ---- diagnostics -------------------------------------------------------------------------------------------------

  ReplicaProtocol.Status status() {
    Configuration configuration = core.currentConfiguration();
    RaftLog raftLog = core.log();
    return new ReplicaProtocol.Status(id, core.roleName(), core.term(), core.leader(), core.commitIndex(),
        core.applied(), raftLog.lastIndex(), raftLog.lastTerm(), configuration.voters(), raftLog.snapshotIndex(),
        configuration.learners(), raftLog.configurationIndex(), raftLog.configurationIndex() > core.commitIndex(),
        core.transferTarget(), core.quiesced());
  }

  ReplicaProtocol.LogContents logContents() {
    return new ReplicaProtocol.LogContents(id, List.copyOf(core.log().entries()), core.commitIndex());
  }
}
