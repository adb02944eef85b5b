package io.raftring.raft;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.DeleteMessagesFailure;
import akka.persistence.DeleteSnapshotsFailure;
import akka.persistence.JournalProtocol;
import akka.persistence.Persistence;
import akka.persistence.SnapshotProtocol;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.SnapshotCompleted;
import akka.persistence.typed.SnapshotFailed;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import io.raftring.raft.ReplicaProtocol.AddLearner;
import io.raftring.raft.ReplicaProtocol.Command;
import io.raftring.raft.ReplicaProtocol.GetLog;
import io.raftring.raft.ReplicaProtocol.GetStatus;
import io.raftring.raft.ReplicaProtocol.LogContents;
import io.raftring.raft.ReplicaProtocol.PromoteLearner;
import io.raftring.raft.ReplicaProtocol.Propose;
import io.raftring.raft.ReplicaProtocol.Read;
import io.raftring.raft.ReplicaProtocol.ReadResult;
import io.raftring.raft.ReplicaProtocol.RemoveServer;
import io.raftring.raft.ReplicaProtocol.Retire;
import io.raftring.raft.ReplicaProtocol.Status;
import io.raftring.raft.ReplicaProtocol.TransferLeadership;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One replica of one Raft group: an event-sourced actor whose term, vote and log are durable and whose role decides
 * how it handles each message. See {@link FollowerRole}, {@link CandidateRole} and {@link LeaderRole}.
 *
 * <p>Nothing is answered before what the answer depends on is durable: votes and AppendEntries replies are sent
 * from {@code thenRun}, after the journal confirmed the write.
 */
public final class RaftReplica extends EventSourcedBehavior<ReplicaProtocol.Command, RaftEvent, RaftState> {

  /** Client requests (proposals and reads) gathered by the batcher in front of the replica; never leaves the node. */
  record ClientBatch(List<Command> requests, ActorRef<ClientBatcher.BatchDone> ackTo)
      implements Command, NoSerializationVerificationNeeded {}

  /** A snapshot file of the state machine at {@code index} (of {@code term}) is written and synced. */
  record SnapshotWritten(long index, long term, SnapshotFiles.Written written)
      implements Command, NoSerializationVerificationNeeded {}

  /** Writing the snapshot file at {@code index} failed. */
  record SnapshotWriteFailed(long index, Throwable cause) implements Command, NoSerializationVerificationNeeded {}

  /** An answer of the journal or snapshot store to a deletion this replica asked for. */
  record StorageReply(Object reply) implements Command, NoSerializationVerificationNeeded {}

  /** Timer and self messages; they never leave the node. */
  enum Internal implements Command {
    ELECTION_TIMEOUT,
    HEARTBEAT_TICK,
    CHECK_QUORUM,
    /** Reads are waiting for a heartbeat round that confirms leadership; one round serves all that wait. */
    READ_ROUND,
    /** A candidate's own vote became durable; in a single-voter group that alone wins the election. */
    SELF_VOTE_DURABLE,
    /** A leadership transfer did not complete in time: the leader takes proposals again. */
    TRANSFER_TIMEOUT
  }

  private static final String ELECTION_TIMER = "election";
  private static final String HEARTBEAT_TIMER = "heartbeat";
  private static final String CHECK_QUORUM_TIMER = "check-quorum";
  private static final String TRANSFER_TIMER = "transfer";

  /**
   * A replica of {@code id.group()} on {@code id.node()}, whose group starts with the voters {@code members} (the
   * bootstrap configuration, in force until its log or a snapshot holds one). A replica not among {@code members} is
   * a newcomer: it starts with the empty configuration, never campaigns or counts as a voter, and learns its
   * configuration from the leader that adds it as a learner. It talks to them through {@code peers}, applying committed commands to the machine {@code stateMachine}
   * makes (a fresh one each time the replica starts, since the log is re-applied from the start). The returned
   * behaviour is the replica's address for peers and clients alike: a {@link ClientBatcher} with the event-sourced
   * replica as its child.
   */
  public static Behavior<Command> create(
      ReplicaId id,
      Set<String> members,
      RaftSettings settings,
      Function<ActorContext<Command>, Peers> peers,
      Supplier<StateMachine> stateMachine,
      Random random) {
    return create(id, members, settings, peers, stateMachine, random, System::nanoTime);
  }

  /** As above, with the monotonic clock that times read leases (tests pass their own). */
  public static Behavior<Command> create(
      ReplicaId id,
      Set<String> members,
      RaftSettings settings,
      Function<ActorContext<Command>, Peers> peers,
      Supplier<StateMachine> stateMachine,
      Random random,
      LongSupplier nanoClock) {
    Configuration bootstrap = members.contains(id.node()) ? Configuration.ofVoters(members) : Configuration.EMPTY;
    // A failed journal write stops the replica, as etcd panics on a failed WAL write: whatever was in memory may not
    // match the disk. Its host starts a new incarnation, which rebuilds everything from the durable log alone.
    return Behaviors.setup(outer -> {
      Peers transport = peers.apply(outer);
      Path snapshotRoot = snapshotRoot(settings, outer.getSystem().settings().config());
      Behavior<Command> replica = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RaftReplica(
          ctx, timers, id, bootstrap, settings, transport, stateMachine.get(), random, nanoClock, snapshotRoot)));
      return ClientBatcher.create(replica, settings.maxPendingProposals() + settings.maxPendingReads(),
          settings.clientQueueDeadline(), nanoClock);
    });
  }

  /** Where the replicas of this node keep snapshot files: the settings' directory, or one in the storage directory. */
  static Path snapshotRoot(RaftSettings settings, Config config) {
    if (settings.snapshotDir() != null) {
      return settings.snapshotDir();
    }
    Config resolved = config.withFallback(ConfigFactory.parseString(
        "raftring.raft.snapshot.dir = \"\"\nraftring.storage.dir = \"data/node\""));
    String dir = resolved.getString("raftring.raft.snapshot.dir");
    return dir.isBlank() ? Path.of(resolved.getString("raftring.storage.dir"), "raft-snapshots") : Path.of(dir);
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ReplicaId id;
  private final Configuration bootstrap;
  private final RaftSettings settings;
  private final Peers peers;
  private final StateMachine stateMachine;
  private final Random random;
  private final LongSupplier nanoClock;
  private final SnapshotFiles snapshotFiles;
  /** Where snapshot files are written when the state machine offers a point-in-time view: off the actor. */
  private final Executor snapshotWriter;
  /** Receives the journal's and snapshot store's answers to deletions (they speak the classic protocol). */
  private final akka.actor.ActorRef storageReplies;
  private RaftState state;

  private RaftReplica(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ReplicaId id,
      Configuration bootstrap,
      RaftSettings settings,
      Peers peers,
      StateMachine stateMachine,
      Random random,
      LongSupplier nanoClock,
      Path snapshotRoot) {
    super(PersistenceId.ofUniqueId(id.persistenceId()));
    this.context = context;
    this.timers = timers;
    this.id = id;
    this.bootstrap = bootstrap;
    this.settings = settings;
    this.peers = peers;
    this.stateMachine = stateMachine;
    this.random = random;
    this.nanoClock = nanoClock;
    this.snapshotFiles = new SnapshotFiles(snapshotRoot, id.persistenceId());
    this.snapshotWriter = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.storageReplies = Adapter.toClassic(context.messageAdapter(Object.class, StorageReply::new));
  }

  @Override
  public RaftState emptyState() {
    state = new RaftState();
    state.bootstrap = bootstrap;
    state.role = new FollowerRole(this);
    return state;
  }

  @Override
  public EventHandler<RaftState, RaftEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(RaftEvent.TermAdvanced.class, (s, e) -> {
          s.currentTerm = e.term();
          s.votedFor = null;
          return s;
        })
        .onEvent(RaftEvent.VoteCast.class, (s, e) -> {
          s.currentTerm = e.term();
          s.votedFor = e.candidate();
          return s;
        })
        .onEvent(RaftEvent.EntriesAppended.class, (s, e) -> {
          s.append(e.startIndex(), e.entries());
          return s;
        })
        .onEvent(RaftEvent.SnapshotTaken.class, (s, e) -> {
          s.adoptSnapshot(e.snapshot());
          return s;
        })
        .onEvent(RaftEvent.SnapshotInstalled.class, (s, e) -> {
          s.adoptSnapshot(e.snapshot());
          return s;
        })
        .build();
  }

  @Override
  public CommandHandler<Command, RaftEvent, RaftState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(PeerMessage.class, (s, m) -> onPeerMessage(m))
        .onCommand(ClientBatch.class, (s, m) -> onClientBatch(m))
        .onCommand(GetStatus.class, (s, m) -> {
          m.replyTo().tell(status());
          return Effect().none();
        })
        .onCommand(GetLog.class, (s, m) -> {
          m.replyTo().tell(new LogContents(id, List.copyOf(s.log.entries()), s.commitIndex));
          return Effect().none();
        })
        .onCommand(AddLearner.class, (s, m) ->
            state.role.onMembershipChange(MembershipRules.Change.ADD_LEARNER, m.node(), m.replyTo()))
        .onCommand(PromoteLearner.class, (s, m) ->
            state.role.onMembershipChange(MembershipRules.Change.PROMOTE_LEARNER, m.node(), m.replyTo()))
        .onCommand(RemoveServer.class, (s, m) ->
            state.role.onMembershipChange(MembershipRules.Change.REMOVE_SERVER, m.node(), m.replyTo()))
        .onCommand(TransferLeadership.class, (s, m) -> state.role.onTransferLeadership(m.node(), m.replyTo()))
        .onCommand(Internal.class, (s, m) -> onInternal(m))
        .onCommand(Retire.class, (s, m) -> {
          context.getLog().info("{} is not in its group's configuration any more; retiring", id);
          return Effect().stop();
        })
        .onCommand(SnapshotWritten.class, (s, m) -> onSnapshotWritten(m))
        .onCommand(SnapshotWriteFailed.class, (s, m) -> {
          context.getLog().warn("{} could not write a snapshot at {}; will try again", id, m.index(), m.cause());
          state.snapshotInProgress = false;
          return Effect().none();
        })
        .onCommand(StorageReply.class, (s, m) -> {
          if (m.reply() instanceof DeleteMessagesFailure f) {
            context.getLog().warn("{} could not delete events up to {}; they stay until the next snapshot", id,
                f.toSequenceNr(), f.cause());
          } else if (m.reply() instanceof DeleteSnapshotsFailure f) {
            context.getLog().warn("{} could not delete older snapshots", id, f.cause());
          }
          return Effect().none();
        })
        .build();
  }

  @Override
  public SignalHandler<RaftState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          restoreFromSnapshot();
          context.getLog().debug("{} recovered term {} with snapshot at {} and entries up to {}", id, s.currentTerm,
              s.log.snapshotIndex(), s.log.lastIndex());
          resetElectionTimer();
        })
        .onSignal(SnapshotCompleted.class, (s, completed) -> deleteBelow(completed.metadata().sequenceNr()))
        .onSignal(SnapshotFailed.class, (s, failed) ->
            context.getLog().warn("{} could not save its snapshot; events stay until the next one", id,
                failed.getFailure()))
        .build();
  }

  // ---- snapshots and compaction (section 7) -----------------------------------------------------------------------
  //
  // How Raft snapshots fit Akka Persistence: the state machine's bytes go to a file of their own (SnapshotFiles),
  // written as a stream, synced and renamed before anything refers to it. Then the event SnapshotTaken (or, on a
  // follower, SnapshotInstalled) records it and compacts the log in memory, and that event asks Akka for a snapshot
  // of the replica (shouldSnapshot): the small RaftState.Durable (term, vote, snapshot record, log suffix), saved
  // synced by the snapshot store plugin. Only once Akka reports that snapshot saved (SnapshotCompleted) are the events
  // up to it deleted, and older snapshot files with them. So at every moment the journal, or the newest Akka snapshot
  // and the events after it, name a complete snapshot file and the log after it: recovery loads the newest Akka
  // snapshot, replays only the later events, and restores the state machine from the file they name. A crash between
  // any two of these steps leaves either the old or the new snapshot in force, never a gap. Akka Typed 2.6 deletes
  // events only for its own count-based retention, not after a snapshot asked for by shouldSnapshot, so the deletion
  // is sent to the journal plugin directly, with the protocol Akka's own persistent actors use.

  @Override
  public boolean shouldSnapshot(RaftState state, RaftEvent event, long sequenceNr) {
    return event instanceof RaftEvent.SnapshotTaken || event instanceof RaftEvent.SnapshotInstalled;
  }

  @Override
  public SnapshotAdapter<RaftState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RaftState s) {
        // Called on the actor's thread when the snapshot is taken: an immutable copy, serialized later elsewhere.
        return s.toDurable();
      }

      @Override
      public RaftState fromJournal(Object from) {
        state = RaftState.fromDurable((RaftState.Durable) from, bootstrap);
        state.role = new FollowerRole(RaftReplica.this);
        return state;
      }
    };
  }

  /** After recovery: the state machine is rebuilt from the snapshot file, then from the log as it commits. */
  private void restoreFromSnapshot() {
    SnapshotMeta snapshot = state.snapshot;
    if (snapshot != null) {
      try {
        snapshotFiles.restore(snapshot, stateMachine);
      } catch (IOException e) {
        throw new UncheckedIOException(id + " cannot restore its snapshot at " + snapshot.lastIncludedIndex(), e);
      }
      state.commitIndex = snapshot.lastIncludedIndex();
      state.lastApplied = snapshot.lastIncludedIndex();
    }
    // Anything else there is a leftover: an older snapshot, or one written or received but never recorded.
    snapshotFiles.deleteAllBut(snapshot == null ? null : snapshot.file(), false);
  }

  /** An Akka snapshot at {@code sequenceNr} is durable: what it replaces can go. */
  private void deleteBelow(long sequenceNr) {
    Persistence persistence = Persistence.get(Adapter.toClassic(context.getSystem()));
    persistence.journalFor(journalPluginId(), ConfigFactory.empty())
        .tell(new JournalProtocol.DeleteMessagesTo(id.persistenceId(), sequenceNr, storageReplies), storageReplies);
    if (sequenceNr > 1) {
      persistence.snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty()).tell(
          new SnapshotProtocol.DeleteSnapshots(id.persistenceId(),
              akka.persistence.SnapshotSelectionCriteria.create(sequenceNr - 1, Long.MAX_VALUE)),
          storageReplies);
    }
    SnapshotMeta current = state.snapshot;
    if (current != null) {
      snapshotFiles.deleteAllBut(current.file(), true);
    }
  }

  /** Section 7: once enough of the log is applied, snapshot the state machine there and compact the log. */
  private void maybeSnapshot() {
    long appliedSinceSnapshot = state.lastApplied - state.log.snapshotIndex();
    if (state.snapshotInProgress || appliedSinceSnapshot <= 0) {
      return;
    }
    if (appliedSinceSnapshot < settings.snapshotThresholdEntries()
        && state.log.sizeBytes() < settings.snapshotThresholdBytes()) {
      return;
    }
    long index = state.lastApplied;
    long term = state.log.termAt(index);
    state.snapshotInProgress = true;
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
    context.pipeToSelf(written, (w, failure) ->
        failure == null ? new SnapshotWritten(index, term, w) : new SnapshotWriteFailed(index, failure));
  }

  private Effect<RaftEvent, RaftState> onSnapshotWritten(SnapshotWritten m) {
    Configuration at = state.configurationAt(m.index());
    SnapshotMeta meta = new SnapshotMeta(m.index(), m.term(), List.copyOf(new TreeSet<>(at.voters())),
        SnapshotFiles.fileName(m.index(), m.term()), m.written().sizeBytes(), m.written().crc32(),
        List.copyOf(new TreeSet<>(at.learners())));
    if (m.index() <= state.log.snapshotIndex()) {
      // A snapshot from the leader overtook this one: it is worthless now.
      state.snapshotInProgress = false;
      return Effect().none();
    }
    return Effect().persist(new RaftEvent.SnapshotTaken(meta)).thenRun(s -> {
      state.snapshotInProgress = false;
      context.getLog().debug("{} snapshot at {} ({} bytes); log compacted", id, meta.lastIncludedIndex(),
          meta.sizeBytes());
    });
  }

  /** A follower's assembled, verified snapshot: make it the state machine's state and the log's start. */
  Effect<RaftEvent, RaftState> installSnapshot(InstallSnapshot last, SnapshotReceiver receiver) {
    SnapshotMeta meta = new SnapshotMeta(last.lastIncludedIndex(), last.lastIncludedTerm(),
        List.copyOf(new TreeSet<>(last.voters())), SnapshotFiles.fileName(last.lastIncludedIndex(),
        last.lastIncludedTerm()), last.totalBytes(), last.crc32(), List.copyOf(new TreeSet<>(last.learners())));
    try {
      snapshotFiles.publish(receiver.file(), meta.file());
      snapshotFiles.restore(meta, stateMachine);
    } catch (IOException e) {
      // The state machine replaces its state only once it read all of it, so it still holds what it had.
      context.getLog().error("{} could not install the snapshot at {} from {}", id, meta.lastIncludedIndex(),
          last.from(), e);
      receiver.discard();
      send(last.from(), InstallSnapshotReply.restart(state.currentTerm, id.node(), meta.lastIncludedIndex()));
      return Effect().none();
    }
    state.commitIndex = Math.max(state.commitIndex, meta.lastIncludedIndex());
    state.lastApplied = meta.lastIncludedIndex();
    List<RaftEvent> events = new ArrayList<>(2);
    if (last.term() > state.currentTerm) {
      events.add(new RaftEvent.TermAdvanced(last.term()));
    }
    events.add(new RaftEvent.SnapshotInstalled(meta));
    context.getLog().info("{} installed a snapshot at {} ({} bytes) from {}", id, meta.lastIncludedIndex(),
        meta.sizeBytes(), last.from());
    return Effect().persist(events).thenRun(s -> send(last.from(),
        InstallSnapshotReply.installed(state.currentTerm, id.node(), meta.lastIncludedIndex())));
  }

  /** A follower starts receiving a snapshot into a fresh file. */
  SnapshotReceiver openReceiver(InstallSnapshot first) throws IOException {
    return new SnapshotReceiver(first.term(), first.lastIncludedIndex(), first.lastIncludedTerm(),
        snapshotFiles.incoming(first.lastIncludedIndex(), first.lastIncludedTerm()));
  }

  /** A leader starts sending its current snapshot to a follower. */
  SnapshotFileTransfer openTransfer() throws IOException {
    SnapshotMeta meta = state.snapshot;
    return new SnapshotFileTransfer(meta, snapshotFiles.path(meta.file()), settings.snapshotChunkBytes(),
        settings.maxInflightSnapshotChunks());
  }

  /**
   * Term rules shared by every role (section 5.1): a message from a later term makes this replica a follower of that
   * term, one from an earlier term is refused so that its sender learns it is stale.
   */
  private Effect<RaftEvent, RaftState> onPeerMessage(PeerMessage m) {
    String invalid = MessageValidator.problem(m, settings);
    if (invalid != null) {
      context.getLog().warn("{} dropped a malformed {} from {}: {}", id, m.getClass().getSimpleName(), m.from(),
          invalid);
      return Effect().none();
    }
    if (m.term() < state.currentTerm) {
      if (m instanceof AppendEntries a) {
        send(a.from(), AppendEntriesReply.rejected(state.currentTerm, id.node(), a.prevLogIndex(), 0, 0));
      } else if (m instanceof InstallSnapshot i) {
        send(i.from(), InstallSnapshotReply.progress(state.currentTerm, id.node(), i.lastIncludedIndex(), 0));
      } else if (m instanceof RequestVote v) {
        send(v.from(), new RequestVoteReply(state.currentTerm, id.node(), false, v.preVote()));
      }
      return Effect().none();
    }
    if (m.term() > state.currentTerm) {
      if (m instanceof RequestVote v
          && (v.preVote() || (state.role.hearsFromLeader() && !v.leadershipTransfer()))) {
        // A pre-vote changes nothing; a real vote while a leader is alive is refused without adopting its term,
        // so a partitioned or removed node cannot depose a healthy leader (dissertation section 4.2.3).
        return v.preVote() ? state.role.onRequestVote(v) : refuseVoteKeepingTerm(v);
      }
      if (m instanceof RequestVoteReply r && r.preVote() && r.granted()) {
        return state.role.onRequestVoteReply(r);
      }
      becomeFollower(m instanceof AppendEntries || m instanceof InstallSnapshot ? m.from() : null);
      if (m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof RequestVote) {
        // Their handlers persist the higher term together with what they change, in one write.
        return dispatch(m);
      }
      if (m instanceof PeerMessage.TimeoutNow t) {
        return persistTermThen(m.term(), () -> context.getSelf().tell(t));
      }
      return persistTermThen(m.term(), () -> {});
    }
    return dispatch(m);
  }

  /** Hands a peer message to the current role's handler for it. */
  private Effect<RaftEvent, RaftState> dispatch(PeerMessage m) {
    if (m instanceof AppendEntries a) {
      return state.role.onAppendEntries(a);
    }
    if (m instanceof AppendEntriesReply r) {
      return state.role.onAppendEntriesReply(r);
    }
    if (m instanceof RequestVote v) {
      return state.role.onRequestVote(v);
    }
    if (m instanceof InstallSnapshot i) {
      return state.role.onInstallSnapshot(i);
    }
    if (m instanceof InstallSnapshotReply r) {
      return state.role.onInstallSnapshotReply(r);
    }
    if (m instanceof PeerMessage.TimeoutNow t) {
      return state.role.onTimeoutNow(t);
    }
    return state.role.onRequestVoteReply((RequestVoteReply) m);
  }

  /**
   * Client requests arrive in batches from the {@link ClientBatcher} in front of this actor. The batch is
   * acknowledged once the write it caused is durable, so everything that arrives meanwhile becomes the next batch:
   * one write, and one append to followers, for many proposals (group commit).
   */
  private Effect<RaftEvent, RaftState> onClientBatch(ClientBatch batch) {
    List<Propose> proposals = new ArrayList<>(batch.requests().size());
    for (Command request : batch.requests()) {
      if (request instanceof Propose p) {
        proposals.add(p);
      } else if (request instanceof Read r) {
        state.role.onRead(r);
      }
    }
    ActorRef<ClientBatcher.BatchDone> ackTo = batch.ackTo();
    if (proposals.isEmpty()) {
      ackTo.tell(ClientBatcher.BatchDone.INSTANCE);
      return Effect().none();
    }
    return state.role.onProposals(proposals).thenRun(s -> ackTo.tell(ClientBatcher.BatchDone.INSTANCE));
  }

  private Effect<RaftEvent, RaftState> refuseVoteKeepingTerm(RequestVote v) {
    send(v.from(), new RequestVoteReply(state.currentTerm, id.node(), false, false));
    return Effect().none();
  }

  private Effect<RaftEvent, RaftState> onInternal(Internal m) {
    return switch (m) {
      case ELECTION_TIMEOUT -> state.role.onElectionTimeout();
      case HEARTBEAT_TICK -> state.role.onHeartbeatTick();
      case CHECK_QUORUM -> state.role.onCheckQuorum();
      case READ_ROUND -> state.role.onReadRound();
      case SELF_VOTE_DURABLE -> state.role instanceof CandidateRole c && c.hasWon() ? becomeLeader() : Effect().none();
      case TRANSFER_TIMEOUT -> state.role.onTransferTimeout();
    };
  }

  // ---- role transitions -------------------------------------------------------------------------------------------

  Role becomeFollower(String leader) {
    if (!(state.role instanceof FollowerRole)) {
      changeRole(new FollowerRole(this));
    }
    state.leaderId = leader;
    resetElectionTimer();
    return state.role;
  }

  /** Section 5.2: a new term, a vote for itself, and RequestVote to every other voter once that vote is durable. */
  Effect<RaftEvent, RaftState> becomeCandidate() {
    return becomeCandidate(false);
  }

  /** As above; {@code leadershipTransfer}: the leader asked for it (TimeoutNow), so voters grant despite it. */
  Effect<RaftEvent, RaftState> becomeCandidate(boolean leadershipTransfer) {
    CandidateRole candidate = new CandidateRole(this);
    changeRole(candidate);
    state.leaderId = null;
    resetElectionTimer();
    long term = state.currentTerm + 1;
    return Effect()
        .persist(new RaftEvent.VoteCast(term, id.node()))
        .thenRun(s -> {
          if (state.role != candidate) {
            return;
          }
          context.getLog().debug("{} campaigns in term {}", id, term);
          if (candidate.hasWon()) {
            // A single-voter group: no one to ask. Leading needs its own write, so it goes through the mailbox.
            context.getSelf().tell(Internal.SELF_VOTE_DURABLE);
            return;
          }
          sendToOtherVoters(new RequestVote(term, id.node(), state.log.lastIndex(), state.log.lastTerm(), false,
              leadershipTransfer));
        });
  }

  Effect<RaftEvent, RaftState> becomeLeader() {
    LeaderRole leader = new LeaderRole(this);
    changeRole(leader);
    state.leaderId = id.node();
    timers.cancel(ELECTION_TIMER);
    context.getLog().info("{} leads term {}", id, state.currentTerm);
    return leader.start();
  }

  private void changeRole(Role next) {
    state.role.onExit();
    state.role = next;
  }

  // ---- services the roles use -------------------------------------------------------------------------------------

  RaftState state() {
    return state;
  }

  EffectFactories<RaftEvent, RaftState> effects() {
    return Effect();
  }

  String self() {
    return id.node();
  }

  ReplicaId id() {
    return id;
  }

  RaftSettings settings() {
    return settings;
  }

  Logger log() {
    return context.getLog();
  }

  /** The configuration in force: the latest in the log, committed or not. */
  Configuration configuration() {
    return state.configuration();
  }

  Set<String> voters() {
    return state.configuration().voters();
  }

  /** Everyone but this replica that the leader replicates to: voters and learners. */
  Set<String> otherMembers() {
    TreeSet<String> others = new TreeSet<>(state.configuration().members());
    others.remove(id.node());
    return others;
  }

  boolean isVoter() {
    return state.configuration().isVoter(id.node());
  }

  void send(String node, Command message) {
    peers.send(node, message);
  }

  void sendToOtherVoters(Command message) {
    for (String peer : voters()) {
      if (!peer.equals(id.node())) {
        peers.send(peer, message);
      }
    }
  }

  /** Persists a higher term if {@code term} is one, then runs {@code after}; runs it at once if nothing changed. */
  Effect<RaftEvent, RaftState> persistTermThen(long term, Runnable after) {
    if (term > state.currentTerm) {
      return Effect().persist(new RaftEvent.TermAdvanced(term)).thenRun(s -> after.run());
    }
    return Effect().none().thenRun(s -> after.run());
  }

  void resetElectionTimer() {
    long min = settings.electionTimeoutMin().toNanos();
    long spread = settings.electionTimeoutMax().toNanos() - min;
    long timeout = min + (long) (random.nextDouble() * spread);
    timers.startSingleTimer(ELECTION_TIMER, Internal.ELECTION_TIMEOUT, Duration.ofNanos(timeout));
  }

  void startLeaderTimers() {
    timers.startTimerAtFixedRate(HEARTBEAT_TIMER, Internal.HEARTBEAT_TICK, settings.heartbeatInterval());
    // Checked once per maximum election timeout: followers cannot have elected anyone sooner, and a slower check
    // keeps a leader on a busy machine from stepping down over one late round of answers.
    timers.startTimerAtFixedRate(CHECK_QUORUM_TIMER, Internal.CHECK_QUORUM, settings.electionTimeoutMax());
  }

  void stopLeaderTimers() {
    timers.cancel(HEARTBEAT_TIMER);
    timers.cancel(CHECK_QUORUM_TIMER);
  }

  void startTransferTimer() {
    timers.startSingleTimer(TRANSFER_TIMER, Internal.TRANSFER_TIMEOUT, settings.electionTimeoutMax());
  }

  void stopTransferTimer() {
    timers.cancel(TRANSFER_TIMER);
  }

  void readRoundSoon() {
    context.getSelf().tell(Internal.READ_ROUND);
  }

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  /** Answers {@code read} from the applied state, as this replica stands now. */
  void serve(Read read) {
    byte[] result = stateMachine.query(read.query());
    read.replyTo().tell(new ReadResult(result, state.lastApplied, id.node(), state.role instanceof LeaderRole));
  }

  /** Advances the commit index and applies, in order, every entry up to it (section 5.3). */
  void commitTo(long index) {
    long target = Math.min(index, state.log.lastIndex());
    if (target <= state.commitIndex) {
      return;
    }
    state.commitIndex = target;
    while (state.lastApplied < state.commitIndex) {
      long next = state.lastApplied + 1;
      LogEntry entry = state.log.entryAt(next);
      byte[] result = entry.kind() == LogEntry.Kind.COMMAND ? stateMachine.apply(next, entry.data()) : null;
      // A NO-OP or a configuration entry gives no result (configurations took effect when they were appended).
      state.lastApplied = next;
      state.role.onApplied(next, result);
    }
    state.role.onCommitted();
    maybeSnapshot();
  }

  Status status() {
    Configuration configuration = state.configuration();
    return new Status(id, state.roleName(), state.currentTerm, state.leaderId, state.commitIndex, state.lastApplied,
        state.log.lastIndex(), state.log.lastTerm(), configuration.voters(), state.log.snapshotIndex(),
        configuration.learners(), state.configurationIndex(), state.configurationIndex() > state.commitIndex,
        state.role.transferTarget());
  }
}
