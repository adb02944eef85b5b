package io.raftring.lease;

import akka.actor.typed.ActorSystem;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.LeaseCodec;
import io.raftring.kv.LeaseCommand;
import io.raftring.kv.LeaseIds;
import io.raftring.kv.LeaseQuery;
import io.raftring.kv.LeaseRecord;
import io.raftring.kv.LeaseResult;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The lease API on any node: a lease lives in the group its id names; grants, revokes and expiries are entries of that
 * group's log, keep-alives are leader reads of it that renew the lease on the lessor's clock.
 */
public final class LeaseService implements LeaseApi {

  /** Grants retried with a new random id when the id is taken. */
  private static final int GRANT_ATTEMPTS = 3;
  private static final Duration KEEP_ALIVE_RETRY = Duration.ofMillis(50);

  private final ActorSystem<?> system;
  private final GroupRouter router;
  private final List<String> groups;
  private final LeaseSettings settings;
  private final LeaseCleanup cleanup;
  private final Random random;

  public LeaseService(ActorSystem<?> system, GroupRouter router, List<String> groups, LeaseSettings settings,
      Random random) {
    this.system = system;
    this.router = router;
    this.groups = List.copyOf(groups);
    this.settings = settings;
    this.cleanup = new LeaseCleanup(router, groups);
    this.random = random;
  }

  /** The group that holds lease {@code id}. */
  public String groupOf(long id) {
    return groups.get(LeaseIds.groupIndex(id, groups.size()));
  }

  @Override
  public CompletionStage<LeaseInfo> grant(Duration ttl, Duration timeout) {
    if (ttl.compareTo(settings.maxTtl()) > 0) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          "ttl " + ttl.toMillis() + " ms is over the maximum of " + settings.maxTtl().toMillis() + " ms"));
    }
    long ttlMillis = Math.max(ttl.toMillis(), settings.minTtl().toMillis());
    return grant(ttlMillis, timeout, System.nanoTime() + timeout.toNanos(), GRANT_ATTEMPTS);
  }

  private CompletionStage<LeaseInfo> grant(long ttlMillis, Duration timeout, long deadline, int attemptsLeft) {
    long id = random.nextLong() & Long.MAX_VALUE;
    if (id == 0) {
      id = 1;
    }
    long chosen = id;
    return router.propose(groupOf(id), LeaseCodec.encode(new LeaseCommand.Grant(id, ttlMillis)), timeout)
        .thenCompose(applied -> {
          LeaseResult result = LeaseCodec.decodeResult(applied.result());
          if (result instanceof LeaseResult.Refused refused && refused.reason() == LeaseResult.Reason.EXISTS
              && attemptsLeft > 1) {
            return grant(ttlMillis, remaining(deadline), deadline, attemptsLeft - 1);
          }
          LeaseResult.Granted granted = (LeaseResult.Granted) LeaseCleanup.refusalsFail(result);
          return CompletableFuture.completedFuture(new LeaseInfo(chosen, granted.ttlMillis(), granted.ttlMillis()));
        });
  }

  @Override
  public CompletionStage<LeaseInfo> keepAlive(long id, Duration timeout) {
    CompletableFuture<LeaseInfo> answer = new CompletableFuture<>();
    keepAlive(id, System.nanoTime() + timeout.toNanos(), answer);
    return answer;
  }

  /** A leader read of the lease that renews it; retried while the leader's node has not taken the lessor over yet. */
  private void keepAlive(long id, long deadline, CompletableFuture<LeaseInfo> answer) {
    router.read(groupOf(id), LeaseCodec.encode(new LeaseQuery.KeepAlive(id)), ReadConsistency.LEASE,
            remaining(deadline))
        .whenComplete((read, error) -> {
          if (error != null) {
            answer.completeExceptionally(error);
            return;
          }
          LeaseResult result = LeaseCodec.decodeResult(read.result());
          if (result instanceof LeaseResult.Refused refused && refused.reason() == LeaseResult.Reason.NOT_LESSOR
              && deadline - System.nanoTime() > KEEP_ALIVE_RETRY.toNanos()) {
            system.scheduler().scheduleOnce(KEEP_ALIVE_RETRY, () -> keepAlive(id, deadline, answer),
                system.executionContext());
            return;
          }
          try {
            answer.complete(infoOf(id, result, true));
          } catch (RuntimeException e) {
            answer.completeExceptionally(e);
          }
        });
  }

  @Override
  public CompletionStage<LeaseInfo> revoke(long id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String group = groupOf(id);
    return LeaseCleanup.propose(router, group, LeaseCodec.encode(new LeaseCommand.Revoke(id)), timeout)
        .thenCompose(revoked -> cleanup.run(group, List.of(id), remaining(deadline))
            .handle((done, error) -> {
              if (error != null) {
                throw new RaftRingException(ErrorCode.TIMEOUT, "lease " + LeaseIds.format(id)
                    + " is revoked, but deleting its keys in every group did not finish in time (it will): "
                    + error.getMessage());
              }
              return new LeaseInfo(id, 0, 0);
            }));
  }

  @Override
  public CompletionStage<LeaseInfo> timeToLive(long id, Duration timeout) {
    return router.read(groupOf(id), LeaseCodec.encode(new LeaseQuery.Get(id)), ReadConsistency.LINEARIZABLE, timeout)
        .thenApply(read -> infoOf(id, LeaseCodec.decodeResult(read.result()), false));
  }

  @Override
  public CompletionStage<List<LeaseInfo>> list(Duration timeout) {
    List<CompletableFuture<List<LeaseInfo>>> perGroup = new ArrayList<>();
    byte[] query = LeaseCodec.encode(new LeaseQuery.List());
    for (String group : groups) {
      perGroup.add(router.read(group, query, ReadConsistency.LINEARIZABLE, timeout).toCompletableFuture()
          .thenApply(read -> {
            LeaseResult.Listing listing = (LeaseResult.Listing) LeaseCleanup.refusalsFail(
                LeaseCodec.decodeResult(read.result()));
            return listing.table().leases().stream().filter(lease -> !lease.revoked())
                .map(lease -> new LeaseInfo(lease.id(), lease.ttlMillis(), -1)).toList();
          }));
    }
    return CompletableFuture.allOf(perGroup.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<LeaseInfo> all = new ArrayList<>();
      perGroup.forEach(f -> all.addAll(f.join()));
      all.sort(Comparator.comparingLong(LeaseInfo::id));
      return all;
    });
  }

  /**
   * Checks that a put may name lease {@code id}: it exists and is not revoked (a put naming a lease revoked later is
   * refused by the key's group, see {@code LeaseTable}).
   */
  public CompletionStage<Void> requireActive(long id, Duration timeout) {
    return router.read(groupOf(id), LeaseCodec.encode(new LeaseQuery.Get(id)), ReadConsistency.LEASE, timeout)
        .thenApply(read -> {
          infoOf(id, LeaseCodec.decodeResult(read.result()), false);
          return null;
        });
  }

  private static LeaseInfo infoOf(long id, LeaseResult result, boolean renewal) {
    LeaseResult.Info info = (LeaseResult.Info) LeaseCleanup.refusalsFail(result);
    LeaseRecord lease = info.lease();
    if (renewal && info.remainingMillis() == 0) {
      throw new RaftRingException(ErrorCode.NOT_FOUND, "lease " + LeaseIds.format(id) + " has expired");
    }
    return new LeaseInfo(lease.id(), lease.ttlMillis(), info.remainingMillis());
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }
}
