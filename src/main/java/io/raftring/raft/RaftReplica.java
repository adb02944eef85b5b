package io.raftring.raft;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.raft.ReplicaProtocol.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One replica of one Raft group as an actor: it recovers its durable state through its event-sourced log
 * ({@link ReplicaLog}), then runs as one of three behaviours, {@link FollowerBehavior}, {@link CandidateBehavior} or
 * {@link LeaderBehavior}, each with its own timers, all feeding one {@link RaftCore} and carrying out its Readys
 * through a {@link ReplicaDriver}. A role change in the core returns the next behaviour.
 *
 * <p>Nothing is answered before what the answer depends on is durable: the core holds such answers back until the
 * write carrying that state completed (see {@link RaftCore}).
 */
public final class RaftReplica {

  private RaftReplica() {}

  /** Messages a replica sends itself; they never leave the node. */
  enum Internal implements Command, NoSerializationVerificationNeeded {
    /** Carry out the core's Ready: everything that arrived since the last one shares it. */
    PROCESS_READY,
    /** A follower's or candidate's randomized election timeout passed. */
    ELECTION_TIMEOUT,
    /** A leader's heartbeat interval passed. */
    HEARTBEAT
  }

  /** A snapshot file of the state machine is written and synced. */
  record SnapshotWritten(SnapshotMeta meta) implements Command, NoSerializationVerificationNeeded {}

  /** Writing the snapshot file failed. */
  record SnapshotWriteFailed(long index, Throwable cause) implements Command, NoSerializationVerificationNeeded {}

  /** Commands that wait for recovery; more are dropped (peers resend, clients retry on their timeout). */
  private static final int RECOVERY_STASH = 10_000;

  /**
   * A replica of {@code id.group()} on {@code id.node()}, whose group starts with the voters {@code members} (the
   * bootstrap configuration, in force until its log or a snapshot holds one). A replica not among {@code members} is
   * a newcomer: it starts with the empty configuration, never campaigns or counts as a voter, and learns its
   * configuration from the leader that adds it as a learner. It talks to its peers through {@code peers}, applying
   * committed commands to the machine {@code stateMachine} makes (a fresh one each time the replica starts, since the
   * log is re-applied from the latest snapshot).
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

  /** As above, with the monotonic clock that times read leases and the client queue (tests pass their own). */
  public static Behavior<Command> create(
      ReplicaId id,
      Set<String> members,
      RaftSettings settings,
      Function<ActorContext<Command>, Peers> peers,
      Supplier<StateMachine> stateMachine,
      Random random,
      LongSupplier nanoClock) {
    Configuration bootstrap = members.contains(id.node()) ? Configuration.ofVoters(members) : Configuration.EMPTY;
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(RECOVERY_STASH, stash -> {
      SnapshotFiles files = new SnapshotFiles(snapshotRoot(settings, ctx.getSystem().settings().config()),
          id.persistenceId());
      // A failed journal write stops the log, as etcd panics on a failed WAL write: what is in memory may not match
      // the disk. The replica stops with it; its host starts a new incarnation, which rebuilds from the disk alone.
      ActorRef<ReplicaLog.Command> log = ctx.spawn(
          ReplicaLog.create(id, ctx.getSelf().narrow(), files), "log", DispatcherSelector.sameAsParent());
      ctx.watch(log);
      return recovering(ctx, stash, recovered -> {
        StateMachine machine = stateMachine.get();
        restore(id, files, recovered.snapshot(), machine);
        RaftCore core = new RaftCore(id.node(), bootstrap, settings, recovered, nanoClock, id.toString());
        ctx.getLog().debug("{} recovered term {} with snapshot at {} and entries up to {}", id, core.term(),
            core.log().snapshotIndex(), core.log().lastIndex());
        ReplicaDriver driver = new ReplicaDriver(ctx, timers, id, settings, peers.apply(ctx), machine, random,
            nanoClock, files, log, core);
        return FollowerBehavior.create(driver);
      });
    })));
  }

  /** Waits for the log to recover, keeping what arrives meanwhile, then hands over to the first behaviour. */
  private static Behavior<Command> recovering(ActorContext<Command> ctx, StashBuffer<Command> stash,
      Function<RaftState.Durable, Behavior<Command>> start) {
    return Behaviors.receive(Command.class)
        .onMessage(ReplicaLog.Recovered.class, r -> stash.unstashAll(start.apply(r.durable())))
        .onMessage(Command.class, m -> {
          if (!stash.isFull()) {
            stash.stash(m);
          }
          return Behaviors.same();
        })
        .onSignal(akka.actor.typed.Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  /** After recovery: the state machine is rebuilt from the snapshot file, then from the log as it commits. */
  private static void restore(ReplicaId id, SnapshotFiles files, SnapshotMeta snapshot, StateMachine machine) {
    if (snapshot != null) {
      try {
        files.restore(snapshot, machine);
      } catch (IOException e) {
        throw new UncheckedIOException(id + " cannot restore its snapshot at " + snapshot.lastIncludedIndex(), e);
      }
    }
    // Anything else there is a leftover: an older snapshot, or one written or received but never recorded.
    files.deleteAllBut(snapshot == null ? null : snapshot.file(), false);
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
}
