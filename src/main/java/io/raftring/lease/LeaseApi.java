package io.raftring.lease;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Leases with a time to live, as etcd has them: grant one, attach keys to it ({@code KvCommand.Put#withLease}),
 * keep it alive (about every TTL/3), revoke it. A lease that is not kept alive expires: its group's leader decides
 * that on its clock and commits it through Raft, and every key attached to it, in every group, is deleted. Not to be
 * confused with {@code consistency=lease} reads, which rely on the Raft leader's read lease.
 *
 * <p>Stages fail with a {@link io.raftring.api.RaftRingException}: NOT_FOUND for a lease that expired, was revoked
 * or never existed; BAD_REQUEST for a TTL over the maximum; NOT_READY, NO_QUORUM, TIMEOUT as for writes.
 */
public interface LeaseApi {

  /** A new lease; a TTL below the minimum is raised to it. */
  CompletionStage<LeaseInfo> grant(Duration ttl, Duration timeout);

  /** Renews the lease for its whole TTL from now; the answer says what is left (the TTL). */
  CompletionStage<LeaseInfo> keepAlive(long id, Duration timeout);

  /**
   * Renews several leases at once, for their whole TTLs from now, as a client holding many does every TTL/3: one
   * leader read per group they live in rather than one request each. Completes with one renewal per distinct id, in
   * the order given; a lease that could not be renewed says why in its own entry, so this stage fails only for bad
   * arguments (none, or more than {@link #MAX_KEEP_ALIVE_IDS}).
   */
  CompletionStage<List<LeaseRenewal>> keepAlive(List<Long> ids, Duration timeout);

  /** The most leases one {@link #keepAlive(List, Duration)} renews. */
  int MAX_KEEP_ALIVE_IDS = io.raftring.kv.LeaseCommand.MAX_IDS;

  /** Revokes the lease and deletes its keys in every group; completes once they are gone. */
  CompletionStage<LeaseInfo> revoke(long id, Duration timeout);

  /** The lease and the time it has left. */
  CompletionStage<LeaseInfo> timeToLive(long id, Duration timeout);

  /** Every lease, in id order (time left not included). */
  CompletionStage<List<LeaseInfo>> list(Duration timeout);
}
