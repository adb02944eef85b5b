package io.raftring.lease;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.LeaseCodec;
import io.raftring.kv.LeaseCommand;
import io.raftring.kv.LeaseResult;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.RoleName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * This node's lessors at work: it watches which of the node's replicas lead, takes over the lessor of each group it
 * leads (a Promote entry, so the epoch in the log says whose clock counts), proposes the expiry of leases whose time
 * is up on that clock, and finishes revokes by deleting the leases' keys in every group. The rules are
 * {@link GroupLessor}'s; this only wires them to time and to the groups' logs.
 */
public final class Lessor extends AbstractBehavior<Lessor.Command> {

  public interface Command {}

  private enum Tick implements Command {
    POLL,
    CHECK
  }

  private record StatusSeen(String group, ReplicaProtocol.Status status) implements Command {}

  private record PromoteAnswered(String group, long term, LeaseResult result) implements Command {}

  private record ExpireAnswered(String group, List<Long> ids, LeaseResult result) implements Command {}

  private record CleanupDone(String group, boolean succeeded) implements Command {}

  /** After a cleanup that failed (a group without a leader, say), the next waits this long. */
  private static final java.time.Duration CLEANUP_BACKOFF = java.time.Duration.ofSeconds(1);

  /** What the lessor works with. */
  public record Dependencies(
      NodeLessors lessors,
      GroupRouter router,
      String selfNode,
      List<String> groups,
      Predicate<String> hostsGroup,
      LeaseSettings settings,
      LongSupplier nanoClock) {}

  private final Dependencies deps;
  private final LeaseCleanup cleanup;
  private final Set<String> promoting = new HashSet<>();
  private final Set<String> expiring = new HashSet<>();
  private final Set<String> cleaning = new HashSet<>();
  /** When a group's last cleanup failed (nanoTime), to wait before the next. */
  private final java.util.Map<String, Long> cleanupFailedAt = new java.util.HashMap<>();
  /** Per group, the term in which this node's replica last said it leads (-1: it does not). */
  private final java.util.Map<String, Long> leadingTerm = new java.util.HashMap<>();

  private Lessor(ActorContext<Command> context, Dependencies deps) {
    super(context);
    this.deps = deps;
    this.cleanup = new LeaseCleanup(deps.router(), deps.groups());
  }

  public static Behavior<Command> create(Dependencies deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.POLL, deps.settings().pollInterval());
      timers.startTimerWithFixedDelay(Tick.CHECK, deps.settings().checkInterval());
      return new Lessor(ctx, deps);
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.POLL, this::poll)
        .onMessageEquals(Tick.CHECK, this::check)
        .onMessage(StatusSeen.class, this::onStatus)
        .onMessage(PromoteAnswered.class, this::onPromoteAnswered)
        .onMessage(ExpireAnswered.class, this::onExpireAnswered)
        .onMessage(CleanupDone.class, done -> {
          cleaning.remove(done.group());
          if (done.succeeded()) {
            cleanupFailedAt.remove(done.group());
          } else {
            cleanupFailedAt.put(done.group(), deps.nanoClock().getAsLong());
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> poll() {
    for (String group : deps.groups()) {
      if (!deps.hostsGroup().test(group)) {
        demote(group);
        continue;
      }
      getContext().pipeToSelf(
          deps.router().status(new ReplicaId(group, deps.selfNode()), deps.settings().pollInterval()),
          (status, error) -> new StatusSeen(group, status));
    }
    return this;
  }

  private Behavior<Command> onStatus(StatusSeen seen) {
    String group = seen.group();
    ReplicaProtocol.Status status = seen.status();
    if (status == null || status.role() != RoleName.LEADER) {
      demote(group);
      return this;
    }
    leadingTerm.put(group, status.term());
    GroupLessor lessor = deps.lessors().of(group);
    if (lessor.holdsFor(status.term()) || promoting.contains(group)) {
      return this;
    }
    if (lessor.isHolder()) {
      // Leading again in a later term: whatever happened between, start over with a new epoch.
      lessor.demote();
    }
    promoting.add(group);
    long term = status.term();
    byte[] promote = LeaseCodec.encode(new LeaseCommand.Promote(deps.selfNode(), lessor.lessorEpoch()));
    getContext().pipeToSelf(
        LeaseCleanup.propose(deps.router(), group, promote, deps.settings().pollInterval().multipliedBy(4)),
        (result, error) -> new PromoteAnswered(group, term, result));
    return this;
  }

  private Behavior<Command> onPromoteAnswered(PromoteAnswered answered) {
    promoting.remove(answered.group());
    Long term = leadingTerm.get(answered.group());
    // Only if this node still leads in the term it asked in: a promotion that raced a leader change is retried by the
    // next poll, and meanwhile the epoch in the log is one nobody here acts on.
    if (answered.result() instanceof LeaseResult.Promoted promoted && term != null && term == answered.term()) {
      deps.lessors().of(answered.group()).promoted(promoted.epoch(), answered.term(), deps.nanoClock().getAsLong(),
          deps.settings().promotionExtension().toMillis());
      getContext().getLog().debug("lessor of {} on {} in epoch {}", answered.group(), deps.selfNode(),
          promoted.epoch());
    }
    return this;
  }

  private void demote(String group) {
    leadingTerm.remove(group);
    deps.lessors().of(group).demote();
  }

  private Behavior<Command> check() {
    long now = deps.nanoClock().getAsLong();
    for (String group : deps.groups()) {
      GroupLessor lessor = deps.lessors().of(group);
      if (!lessor.isHolder()) {
        continue;
      }
      if (!expiring.contains(group)) {
        List<Long> expired = lessor.takeExpired(now, LeaseCommand.MAX_IDS);
        if (!expired.isEmpty()) {
          expiring.add(group);
          byte[] expire = LeaseCodec.encode(new LeaseCommand.Expire(lessor.heldEpoch(), expired));
          getContext().pipeToSelf(
              LeaseCleanup.propose(deps.router(), group, expire, deps.settings().pollInterval().multipliedBy(8)),
              (result, error) -> new ExpireAnswered(group, expired, result));
        }
      }
      Long failedAt = cleanupFailedAt.get(group);
      boolean backingOff = failedAt != null && now - failedAt < CLEANUP_BACKOFF.toNanos();
      if (!cleaning.contains(group) && !backingOff) {
        List<Long> revoked = lessor.revokedPendingCleanup();
        if (!revoked.isEmpty()) {
          cleaning.add(group);
          List<Long> batch = revoked.subList(0, Math.min(revoked.size(), LeaseCommand.MAX_IDS));
          getContext().pipeToSelf(
              cleanup.run(group, List.copyOf(batch), deps.settings().pollInterval().multipliedBy(20)),
              (done, error) -> new CleanupDone(group, error == null));
        }
      }
    }
    return this;
  }

  private Behavior<Command> onExpireAnswered(ExpireAnswered answered) {
    expiring.remove(answered.group());
    if (answered.result() instanceof LeaseResult.Applied) {
      deps.lessors().countExpired(answered.ids().size());
      getContext().getLog().debug("{} expired leases {} of {}", deps.selfNode(), answered.ids(), answered.group());
      return this;
    }
    // Refused for a stale epoch (another node took over: it keeps its own clock) or failed: take them again if this
    // node still holds the epoch; the expiry is idempotent.
    deps.lessors().of(answered.group()).expireNotApplied(answered.ids());
    return this;
  }
}
