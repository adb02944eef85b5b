package io.raftring.cluster;

import akka.actor.typed.RecipientRef;
import akka.actor.typed.ActorSystem;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.raft.ReplicaProtocol.ProposeReply;
import io.raftring.raft.ReplicaProtocol.ReadReply;
import io.raftring.raft.ReadConsistency;
import io.raftring.raft.ReplicaId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Sends a request for a group to that group's leader from any node: it caches who leads each group, follows
 * NOT_LEADER hints, and retries within the request's deadline.
 *
 * <p>A proposal is retried only after an answer that proves it was not appended (NOT_LEADER); once a leader may have
 * appended it, silence or lost leadership means the outcome is unknown, reported as TIMEOUT, never retried (a retry
 * could apply a compare-and-set twice). Reads change nothing, so they are retried after any failure.
 */
public final class GroupRouter {

  /** Where a group's replicas are: the ring's preference list of nodes. */
  public interface Placement {
    List<String> replicasOf(String group);
  }

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(100);
  /** A read attempt that gets no answer this long tries another replica (the target may be dead or partitioned). */
  private static final Duration READ_ATTEMPT_TIMEOUT = Duration.ofMillis(500);

  private final ActorSystem<?> system;
  private final ReplicaLocator locator;
  private final Placement placement;
  private final String selfNode;
  private final Map<String, String> leaderOf = new ConcurrentHashMap<>();

  public GroupRouter(ActorSystem<?> system, ReplicaLocator locator, Placement placement, String selfNode) {
    this.system = system;
    this.locator = locator;
    this.placement = placement;
    this.selfNode = selfNode;
  }

  /** The leader this node believes leads {@code group}, or null. */
  public String cachedLeader(String group) {
    return leaderOf.get(group);
  }

  /** Records a leader learned elsewhere (status polls), so the first request goes straight to it. */
  public void learnLeader(String group, String leader) {
    if (leader == null) {
      leaderOf.remove(group);
    } else {
      leaderOf.put(group, leader);
    }
  }

  /** Proposes {@code command} to the group's leader; completes with the applied result or fails with a code. */
  public CompletionStage<ReplicaProtocol.Applied> propose(String group, byte[] command, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<ReplicaProtocol.Applied> result = new CompletableFuture<>();
    new Attempts<ProposeReply>(group, deadline, result::completeExceptionally) {
      @Override
      void onReply(String target, ProposeReply reply) {
        if (reply instanceof ReplicaProtocol.Applied applied) {
          leaderOf.put(group, target);
          result.complete(applied);
        } else if (reply instanceof ReplicaProtocol.NotLeader notLeader) {
          retryTowards(target, notLeader.leaderHint());
        } else if (reply instanceof ReplicaProtocol.Rejected rejected) {
          result.completeExceptionally(new RaftRingException(ErrorCode.OVERLOADED, rejected.reason()));
        } else if (reply instanceof ReplicaProtocol.Unknown unknown) {
          result.completeExceptionally(new RaftRingException(ErrorCode.TIMEOUT,
              "the write may or may not have been applied: " + unknown.reason()));
        }
      }

      @Override
      void onNoAnswer(String target) {
        leaderOf.remove(group, target);
        result.completeExceptionally(new RaftRingException(ErrorCode.TIMEOUT,
            "no answer from the leader of " + group + " before the deadline; the write may or may not have been"
                + " applied"));
      }

      @Override
      CompletionStage<ProposeReply> ask(RecipientRef<ReplicaProtocol.Command> ref, Duration attemptTimeout) {
        return Asks.ask(ref, replyTo -> new ReplicaProtocol.Propose(command, replyTo), attemptTimeout,
            system);
      }

      @Override
      Duration attemptTimeout(Duration remaining) {
        return remaining;
      }
    }.start();
    return result;
  }

  /** Reads at {@code consistency}: strong reads from the leader, stale reads from the nearest replica. */
  public CompletionStage<ReplicaProtocol.ReadResult> read(
      String group, byte[] query, ReadConsistency consistency, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<ReplicaProtocol.ReadResult> result = new CompletableFuture<>();
    boolean stale = consistency == ReadConsistency.STALE;
    new Attempts<ReadReply>(group, deadline, result::completeExceptionally) {
      @Override
      String firstTarget() {
        return stale ? nearestReplica() : super.firstTarget();
      }

      @Override
      void onReply(String target, ReadReply reply) {
        if (reply instanceof ReplicaProtocol.ReadResult read) {
          if (read.leader()) {
            leaderOf.put(group, target);
          }
          result.complete(read);
        } else if (reply instanceof ReplicaProtocol.NotLeader notLeader) {
          retryTowards(target, notLeader.leaderHint());
        } else if (reply instanceof ReplicaProtocol.Rejected rejected) {
          result.completeExceptionally(new RaftRingException(ErrorCode.OVERLOADED, rejected.reason()));
        }
      }

      @Override
      void onNoAnswer(String target) {
        leaderOf.remove(group, target);
        retryTowards(target, null);
      }

      @Override
      CompletionStage<ReadReply> ask(RecipientRef<ReplicaProtocol.Command> ref, Duration attemptTimeout) {
        return Asks.ask(ref, replyTo -> new ReplicaProtocol.Read(query, consistency, replyTo), attemptTimeout,
            system);
      }

      @Override
      Duration attemptTimeout(Duration remaining) {
        return remaining.compareTo(READ_ATTEMPT_TIMEOUT) < 0 ? remaining : READ_ATTEMPT_TIMEOUT;
      }
    }.start();
    return result;
  }

  /** Asks the replica {@code id} for its status. */
  public CompletionStage<ReplicaProtocol.Status> status(ReplicaId id, Duration timeout) {
    if (!locator.isReachable(id)) {
      return CompletableFuture.failedFuture(
          new RaftRingException(ErrorCode.NOT_READY, "replica " + id + " is not reachable"));
    }
    return Asks.ask(locator.locate(id), ReplicaProtocol.GetStatus::new, timeout, system);
  }

  private String nearestReplica(String group) {
    List<String> replicas = placement.replicasOf(group);
    if (replicas.contains(selfNode) && locator.isReachable(new ReplicaId(group, selfNode))) {
      return selfNode;
    }
    for (String node : replicas) {
      if (locator.isReachable(new ReplicaId(group, node))) {
        return node;
      }
    }
    return replicas.get(0);
  }

  /**
   * One request's attempts against the replicas of one group until an answer, the deadline, or a final failure. A
   * request that ran out of time without ever reaching a leader fails with NO_QUORUM: nothing was applied.
   */
  private abstract class Attempts<R> {
    private final String group;
    private final long deadlineNanos;
    private final java.util.function.Consumer<Throwable> fail;
    private final List<String> tried = new ArrayList<>();
    private Duration backoff = FIRST_BACKOFF;

    Attempts(String group, long deadlineNanos, java.util.function.Consumer<Throwable> fail) {
      this.group = group;
      this.deadlineNanos = deadlineNanos;
      this.fail = fail;
    }

    abstract void onReply(String target, R reply);

    abstract void onNoAnswer(String target);

    abstract CompletionStage<R> ask(RecipientRef<ReplicaProtocol.Command> ref, Duration attemptTimeout);

    abstract Duration attemptTimeout(Duration remaining);

    String firstTarget() {
      String leader = leaderOf.get(group);
      return leader != null ? leader : nearestReplica();
    }

    String nearestReplica() {
      return GroupRouter.this.nearestReplica(group);
    }

    void start() {
      attempt(firstTarget());
    }

    void attempt(String target) {
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (remainingNanos <= 0) {
        fail.accept(new RaftRingException(ErrorCode.NO_QUORUM,
            "no leader of " + group + " could serve the request before the deadline (tried " + tried + ")"));
        return;
      }
      tried.add(target);
      ReplicaId id = new ReplicaId(group, target);
      if (!locator.isReachable(id)) {
        retryTowards(target, null);
        return;
      }
      ask(locator.locate(id), attemptTimeout(Duration.ofNanos(remainingNanos)))
          .whenComplete((reply, error) -> {
            if (error == null) {
              onReply(target, reply);
            } else if (error instanceof TimeoutException
                || error.getCause() instanceof TimeoutException) {
              onNoAnswer(target);
            } else {
              fail.accept(new RaftRingException(ErrorCode.INTERNAL, String.valueOf(error.getMessage())));
            }
          });
    }

    /** Tries {@code hint} at once if it names another node, else the next replica after a short backoff. */
    void retryTowards(String target, String hint) {
      if (hint != null && !hint.equals(target)) {
        leaderOf.put(group, hint);
        attempt(hint);
        return;
      }
      leaderOf.remove(group, target);
      List<String> replicas = placement.replicasOf(group);
      String next = replicas.get((replicas.indexOf(target) + 1) % replicas.size());
      Duration wait = backoff;
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      system.scheduler().scheduleOnce(wait, () -> attempt(next), system.executionContext());
    }
  }
}
