package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.raft.ReplicaProtocol.ChangeReply;
import io.raftring.raft.ReplicaId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Membership changes of one group by hand (the admin endpoints) or by the placement driver: finds the group's leader
 * (following NOT_LEADER hints), asks it for one single-server change or a leadership transfer, and turns its refusal
 * into an error code: BAD_REQUEST (unknown group or node, last voter), CONFLICT (another change in progress),
 * NOT_READY (the leader's NO-OP not committed, a learner not caught up), TIMEOUT (outcome unknown).
 */
public final class GroupMembership {

  /** A change that is in force and committed; {@code leader} is the node that answered (for a transfer: the new one). */
  public record Outcome(String group, long index, List<String> voters, List<String> learners, String leader) {}

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
  private static final long RETRY_MILLIS = 50;
  private static final long PROMOTE_RETRY_MILLIS = 100;

  private final ActorSystem<?> system;
  private final ReplicaLocator locator;
  private final GroupRouter router;
  private final Function<String, List<String>> replicasOf;
  private final Set<String> groups;
  private final Supplier<Set<String>> knownNodes;

  public GroupMembership(ActorSystem<?> system, ReplicaLocator locator, GroupRouter router,
      Function<String, List<String>> replicasOf, List<String> groups, Supplier<Set<String>> knownNodes) {
    this.system = system;
    this.locator = locator;
    this.router = router;
    this.replicasOf = replicasOf;
    this.groups = Set.copyOf(groups);
    this.knownNodes = knownNodes;
  }

  public CompletionStage<Outcome> addLearner(String group, String node, Duration timeout) {
    return change(group, node, timeout, r -> new ReplicaProtocol.AddLearner(node, r));
  }

  /** Promotes the learner {@code node}, retrying while it has not caught up, until {@code timeout}. */
  public CompletionStage<Outcome> promote(String group, String node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return retryWhileNotReady(deadline, () -> change(group, node, remaining(deadline),
        r -> new ReplicaProtocol.PromoteLearner(node, r)));
  }

  /** Adds {@code node} as a voter the safe way: as a learner first, promoted once caught up. */
  public CompletionStage<Outcome> addVoter(String group, String node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return addLearner(group, node, timeout).thenCompose(added -> added.voters().contains(node)
        ? CompletableFuture.completedFuture(added)
        : promote(group, node, remaining(deadline)));
  }

  public CompletionStage<Outcome> remove(String group, String node, Duration timeout) {
    return change(group, node, timeout, r -> new ReplicaProtocol.RemoveServer(node, r));
  }

  public CompletionStage<Outcome> transferLeadership(String group, String node, Duration timeout) {
    return change(group, node, timeout, r -> new ReplicaProtocol.TransferLeadership(node, r));
  }

  private CompletionStage<Outcome> change(String group, String node, Duration timeout,
      Function<ActorRef<ChangeReply>, ReplicaProtocol.Command> request) {
    if (!groups.contains(group)) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST, "unknown group " + group));
    }
    Set<String> known = knownNodes.get();
    if (!known.contains(node)) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          "unknown node " + node + "; the cluster's nodes are " + new TreeSet<>(known)));
    }
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    List<String> candidates = new ArrayList<>(new LinkedHashSet<>(replicasOf.apply(group)));
    for (String n : new TreeSet<>(known)) {
      if (!candidates.contains(n)) {
        candidates.add(n);
      }
    }
    String first = router.cachedLeader(group);
    attempt(group, first != null ? first : candidates.get(0), candidates, System.nanoTime() + timeout.toNanos(),
        request, result, 0);
    return result;
  }

  private void attempt(String group, String target, List<String> candidates, long deadline,
      Function<ActorRef<ChangeReply>, ReplicaProtocol.Command> request, CompletableFuture<Outcome> result, int tries) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      result.completeExceptionally(new RaftRingException(ErrorCode.NO_QUORUM,
          "no leader of " + group + " answered before the deadline"));
      return;
    }
    Duration attemptTimeout = Duration.ofNanos(Math.min(left, ATTEMPT_TIMEOUT.toNanos()));
    Runnable next = () -> system.scheduler().scheduleOnce(Duration.ofMillis(RETRY_MILLIS), () ->
        attempt(group, candidates.get((candidates.indexOf(target) + 1) % candidates.size()), candidates, deadline,
            request, result, tries + 1), system.executionContext());
    if (!locator.isReachable(new ReplicaId(group, target))) {
      next.run();
      return;
    }
    Asks.<ReplicaProtocol.Command, ChangeReply>ask(locator.locate(new ReplicaId(group, target)), request::apply,
            attemptTimeout, system)
        .whenComplete((reply, error) -> {
          if (error != null) {
            next.run();
          } else if (reply instanceof ReplicaProtocol.NotLeader notLeader) {
            if (notLeader.leaderHint() != null && !notLeader.leaderHint().equals(target) && tries < 50) {
              attempt(group, notLeader.leaderHint(), candidates, deadline, request, result, tries + 1);
            } else {
              next.run();
            }
          } else if (reply instanceof ReplicaProtocol.ChangeDone done) {
            router.learnLeader(group, target);
            result.complete(new Outcome(group, done.index(), List.copyOf(new TreeSet<>(done.voters())),
                List.copyOf(new TreeSet<>(done.learners())), target));
          } else if (reply instanceof ReplicaProtocol.TransferDone transferred) {
            router.learnLeader(group, transferred.node());
            result.complete(new Outcome(group, 0, List.of(), List.of(), transferred.node()));
          } else if (reply instanceof ReplicaProtocol.ChangeRejected rejected) {
            result.completeExceptionally(new RaftRingException(ErrorCode.valueOf(rejected.code().name()),
                group + ": " + rejected.message()));
          } else if (reply instanceof ReplicaProtocol.Unknown unknown) {
            result.completeExceptionally(new RaftRingException(ErrorCode.TIMEOUT, group + ": " + unknown.reason()));
          }
        });
  }

  private CompletionStage<Outcome> retryWhileNotReady(long deadline, Supplier<CompletionStage<Outcome>> once) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    once.get().whenComplete((outcome, error) -> {
      RaftRingException e = error == null ? null : RaftRingException.find(error);
      if (error == null) {
        result.complete(outcome);
      } else if (e != null && e.code() == ErrorCode.NOT_READY
          && deadline - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(PROMOTE_RETRY_MILLIS)) {
        system.scheduler().scheduleOnce(Duration.ofMillis(PROMOTE_RETRY_MILLIS), () ->
            retryWhileNotReady(deadline, once).whenComplete((o, err) -> {
              if (err == null) {
                result.complete(o);
              } else {
                result.completeExceptionally(err);
              }
            }), system.executionContext());
      } else {
        result.completeExceptionally(error);
      }
    });
    return result;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }
}
