package io.raftring.raft;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.DeleteMessagesFailure;
import akka.persistence.DeleteSnapshotsFailure;
import akka.persistence.JournalProtocol;
import akka.persistence.Persistence;
import akka.persistence.SnapshotProtocol;
import akka.persistence.SnapshotSelectionCriteria;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.SnapshotCompleted;
import akka.persistence.typed.SnapshotFailed;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import com.typesafe.config.ConfigFactory;

/**
 * A replica's durable state as an event-sourced actor: the replica's child, with the replica's persistenceId
 * ({@code raft|<group>|<node>}), the same events ({@link RaftEvent}) and the same Akka snapshots
 * ({@link RaftState.Durable}) as before, so journals written by earlier builds replay unchanged.
 *
 * <p>Why a child and not the replica itself: an {@code EventSourcedBehavior} stashes every command while a
 * {@code persist} is in flight, so a replica that persisted its own events could not count acknowledgements, take
 * proposals or answer anything during its own fsync. Here the replica hands each {@link Ready.Write} to this actor
 * and goes on; this actor persists it (one atomic journal write) and answers {@link Persisted} once it is durable.
 * The replica keeps at most one write in flight, so nothing queues here, and what the replica gathers meanwhile
 * becomes its next write. Writes of many replicas on a node still share one fsync: the journal plugin commits
 * concurrent writes together. (One event-sourced log per node carrying every group's entries, TiKV's raft engine,
 * would batch further but could not delete one group's events below its snapshot, and old journals would need a
 * migration.)
 *
 * <p>Recovery replays the newest Akka snapshot and the events after it into a {@link DurableLog} and hands that to
 * the replica ({@link Recovered}). Compaction (section 7): a {@link RaftEvent.SnapshotTaken} or
 * {@link RaftEvent.SnapshotInstalled} asks Akka for a snapshot of this state (small: the snapshot file holds the
 * state machine's bytes); once that is saved the events up to it, older Akka snapshots and older snapshot files are
 * deleted. At every moment the journal, or the newest Akka snapshot and the events after it, name a complete
 * snapshot file and the log after it. Akka Typed 2.6 deletes events only for its own count-based retention, so the
 * deletion is sent to the journal plugin directly, with the protocol Akka's own persistent actors use.
 */
final class ReplicaLog extends EventSourcedBehavior<ReplicaLog.Command, RaftEvent, DurableLog> {

  interface Command {}

  /** Make {@code write} durable and tell {@code replyTo}. */
  record Append(Ready.Write write, ActorRef<Persisted> replyTo) implements Command, NoSerializationVerificationNeeded {}

  /** The write is durable. */
  record Persisted(Ready.Write write) implements ReplicaProtocol.Command, NoSerializationVerificationNeeded {}

  /** Recovery is complete: this is what storage holds. */
  record Recovered(RaftState.Durable durable) implements ReplicaProtocol.Command, NoSerializationVerificationNeeded {}

  /** An answer of the journal or snapshot store to a deletion this actor asked for. */
  private record StorageReply(Object reply) implements Command, NoSerializationVerificationNeeded {}

  static Behavior<Command> create(ReplicaId id, ActorRef<Recovered> recovered, SnapshotFiles snapshotFiles) {
    return Behaviors.setup(ctx -> new ReplicaLog(ctx, id, recovered, snapshotFiles));
  }

  private final ActorContext<Command> context;
  private final ReplicaId id;
  private final ActorRef<Recovered> recovered;
  private final SnapshotFiles snapshotFiles;
  /** Receives the journal's and snapshot store's answers to deletions (they speak the classic protocol). */
  private final akka.actor.ActorRef storageReplies;
  private DurableLog state;

  private ReplicaLog(ActorContext<Command> context, ReplicaId id, ActorRef<Recovered> recovered,
      SnapshotFiles snapshotFiles) {
    super(PersistenceId.ofUniqueId(id.persistenceId()));
    this.context = context;
    this.id = id;
    this.recovered = recovered;
    this.snapshotFiles = snapshotFiles;
    this.storageReplies = Adapter.toClassic(context.messageAdapter(Object.class, StorageReply::new));
  }

  @Override
  public DurableLog emptyState() {
    state = new DurableLog();
    return state;
  }

  @Override
  public EventHandler<DurableLog, RaftEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
      s.apply(e);
      return s;
    });
  }

  @Override
  public CommandHandler<Command, RaftEvent, DurableLog> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, (s, m) -> Effect().persist(m.write().events())
            .thenRun(after -> m.replyTo().tell(new Persisted(m.write()))))
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
  public SignalHandler<DurableLog> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> recovered.tell(new Recovered(s.toDurable())))
        .onSignal(SnapshotCompleted.class, (s, completed) -> deleteBelow(completed.metadata().sequenceNr()))
        .onSignal(SnapshotFailed.class, (s, failed) ->
            context.getLog().warn("{} could not save its snapshot; events stay until the next one", id,
                failed.getFailure()))
        .build();
  }

  @Override
  public boolean shouldSnapshot(DurableLog s, RaftEvent event, long sequenceNr) {
    return event instanceof RaftEvent.SnapshotTaken || event instanceof RaftEvent.SnapshotInstalled;
  }

  @Override
  public SnapshotAdapter<DurableLog> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(DurableLog s) {
        // Called on this actor's thread when the snapshot is taken: an immutable copy, serialized later elsewhere.
        return s.toDurable();
      }

      @Override
      public DurableLog fromJournal(Object from) {
        state = DurableLog.fromDurable((RaftState.Durable) from);
        return state;
      }
    };
  }

  /** An Akka snapshot at {@code sequenceNr} is durable: what it replaces can go. */
  private void deleteBelow(long sequenceNr) {
    Persistence persistence = Persistence.get(Adapter.toClassic(context.getSystem()));
    persistence.journalFor(journalPluginId(), ConfigFactory.empty())
        .tell(new JournalProtocol.DeleteMessagesTo(id.persistenceId(), sequenceNr, storageReplies), storageReplies);
    if (sequenceNr > 1) {
      persistence.snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty()).tell(
          new SnapshotProtocol.DeleteSnapshots(id.persistenceId(),
              SnapshotSelectionCriteria.create(sequenceNr - 1, Long.MAX_VALUE)),
          storageReplies);
    }
    SnapshotMeta current = state.snapshot();
    if (current != null) {
      snapshotFiles.deleteOlderThan(current.lastIncludedIndex());
    }
  }
}
