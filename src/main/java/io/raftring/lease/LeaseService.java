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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

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
    return renew(groupOf(id), new LeaseQuery.KeepAlive(id), timeout).thenApply(result -> infoOf(id, result, true));
  }

  @Override
  public CompletionStage<List<LeaseRenewal>> keepAlive(List<Long> ids, Duration timeout) {
    List<Long> distinct = List.copyOf(new LinkedHashSet<>(ids));
    if (distinct.isEmpty() || distinct.size() > MAX_KEEP_ALIVE_IDS) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          "a keep-alive names 1 to " + MAX_KEEP_ALIVE_IDS + " leases, not " + distinct.size()));
    }
    Map<String, List<Long>> byGroup = new LinkedHashMap<>();
    for (long id : distinct) {
      byGroup.computeIfAbsent(groupOf(id), g -> new ArrayList<>()).add(id);
    }
    Map<Long, LeaseRenewal> answers = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> groupsDone = new ArrayList<>();
    byGroup.forEach((group, groupIds) -> groupsDone.add(
        renew(group, new LeaseQuery.KeepAliveMany(groupIds), timeout).handle((result, error) -> {
          for (LeaseRenewal renewal : renewalsOf(groupIds, result, error)) {
            answers.put(renewal.id(), renewal);
          }
          return (Void) null;
        }).toCompletableFuture()));
    return CompletableFuture.allOf(groupsDone.toArray(CompletableFuture[]::new))
        .thenApply(done -> distinct.stream().map(answers::get).toList());
  }

  /** Each lease's renewal from its group's answer, or the group's failure for each. */
  private static List<LeaseRenewal> renewalsOf(List<Long> ids, LeaseResult result, Throwable error) {
    if (error == null && result instanceof LeaseResult.Renewals renewals) {
      return renewals.renewals().stream().map(r -> !r.found()
          ? LeaseRenewal.failed(r.id(), ErrorCode.NOT_FOUND, LeaseResult.notFound(r.id()).message())
          : r.remainingMillis() == 0
              ? LeaseRenewal.failed(r.id(), ErrorCode.NOT_FOUND, expiredMessage(r.id()))
              : LeaseRenewal.renewed(r.id(), r.remainingMillis())).toList();
    }
    RaftRingException found = error != null ? RaftRingException.find(error) : LeaseCleanup.refusalOf(result);
    RaftRingException failure = found != null ? found : new RaftRingException(ErrorCode.INTERNAL,
        "keep-alive failed: " + (error != null ? error : "unexpected answer " + result));
    return ids.stream().map(id -> LeaseRenewal.failed(id, failure.code(), failure.getMessage())).toList();
  }

  /**
   * A leader read of the group that renews leases on its lessor; retried while the leader's node has not taken the
   * lessor over yet, until the deadline.
   */
  private CompletionStage<LeaseResult> renew(String group, LeaseQuery query, Duration timeout) {
    CompletableFuture<LeaseResult> answer = new CompletableFuture<>();
    renew(group, LeaseCodec.encode(query), System.nanoTime() + timeout.toNanos(), answer);
    return answer;
  }

  private void renew(String group, byte[] query, long deadline, CompletableFuture<LeaseResult> answer) {
    router.read(group, query, ReadConsistency.LEASE, remaining(deadline)).whenComplete((read, error) -> {
      if (error != null) {
        answer.completeExceptionally(error);
        return;
      }
      LeaseResult result;
      try {
        result = LeaseCodec.decodeResult(read.result());
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
        return;
      }
      if (result instanceof LeaseResult.Refused refused && refused.reason() == LeaseResult.Reason.NOT_LESSOR
          && deadline - System.nanoTime() > KEEP_ALIVE_RETRY.toNanos()) {
        system.scheduler().scheduleOnce(KEEP_ALIVE_RETRY, () -> renew(group, query, deadline, answer),
            system.executionContext());
        return;
      }
      answer.complete(result);
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
      throw new RaftRingException(ErrorCode.NOT_FOUND, expiredMessage(id));
    }
    return new LeaseInfo(lease.id(), lease.ttlMillis(), info.remainingMillis());
  }

  private static String expiredMessage(long id) {
    return "lease " + LeaseIds.format(id) + " has expired";
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }
}
