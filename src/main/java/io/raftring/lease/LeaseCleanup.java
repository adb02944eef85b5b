package io.raftring.lease;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.LeaseCodec;
import io.raftring.kv.LeaseCommand;
import io.raftring.kv.LeaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The second half of revoking leases: their keys in the groups other than the leases' own are deleted by a
 * DeleteKeys entry in each, and once every group confirmed, the leases' group forgets them. Idempotent, so the
 * client's revoke and the lessor (which re-drives it for every revoked lease still on record, after any crash) may
 * both run it.
 */
final class LeaseCleanup {

  private final GroupRouter router;
  private final List<String> groups;

  LeaseCleanup(GroupRouter router, List<String> groups) {
    this.router = router;
    this.groups = List.copyOf(groups);
  }

  /** Deletes the keys of the revoked leases {@code ids} of {@code leaseGroup} everywhere, then forgets them. */
  CompletionStage<Void> run(String leaseGroup, List<Long> ids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<LeaseResult>> deletions = new ArrayList<>();
    byte[] deleteKeys = LeaseCodec.encode(new LeaseCommand.DeleteKeys(ids));
    for (String group : groups) {
      if (!group.equals(leaseGroup)) {
        deletions.add(propose(router, group, deleteKeys, timeout).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
        .thenCompose(done -> propose(router, leaseGroup, LeaseCodec.encode(new LeaseCommand.Forget(ids)),
            Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))))
        .thenApply(forgotten -> null);
  }

  /** Proposes a lease command to {@code group}; a refusal fails the stage with its code. */
  static CompletionStage<LeaseResult> propose(GroupRouter router, String group, byte[] command, Duration timeout) {
    return router.propose(group, command, timeout)
        .thenApply(applied -> refusalsFail(LeaseCodec.decodeResult(applied.result())));
  }

  /** The result, or a RaftRingException for a refusal. */
  static LeaseResult refusalsFail(LeaseResult result) {
    RaftRingException refusal = refusalOf(result);
    if (refusal != null) {
      throw refusal;
    }
    return result;
  }

  /** The API's error for a refusal, or null for any other result. */
  static RaftRingException refusalOf(LeaseResult result) {
    if (!(result instanceof LeaseResult.Refused refused)) {
      return null;
    }
    ErrorCode code = switch (refused.reason()) {
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case EXISTS -> ErrorCode.CONFLICT;
      case NOT_LESSOR, STALE_EPOCH -> ErrorCode.NOT_READY;
    };
    return new RaftRingException(code, refused.message());
  }
}
