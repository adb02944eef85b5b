package io.raftring.kv;

import java.util.Objects;

/** What {@link KvStateMachine} answers to a {@link LeaseCommand} or a {@link LeaseQuery}. */
public sealed interface LeaseResult {

  /** Why a lease command or query was refused; nothing changed. */
  enum Reason {
    /** The id is taken: grant again with another. */
    EXISTS,
    /** No such lease, or it was revoked or expired. */
    NOT_FOUND,
    /** The lessor epoch moved on: the proposer no longer runs the lessor. */
    STALE_EPOCH,
    /** This replica's node does not run the group's lessor now (it leads no longer, or not yet as lessor). */
    NOT_LESSOR
  }

  record Granted(long id, long ttlMillis) implements LeaseResult {}

  /** The refusal of a lease that was never granted, or was revoked or has expired. */
  static Refused notFound(long id) {
    return new Refused(Reason.NOT_FOUND,
        "lease " + LeaseIds.format(id) + " not found (never granted, revoked or expired)");
  }

  record Refused(Reason reason, String message) implements LeaseResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** A revoke, expiry, key deletion or forget took effect: {@code affected} keys (or leases), store at {@code revision}. */
  record Applied(long affected, long revision) implements LeaseResult {}

  /** The proposer runs the group's lessor now, in {@code epoch}. */
  record Promoted(long epoch) implements LeaseResult {}

  /** A lease; {@code remainingMillis} is its time to live left on the lessor's clock, or -1 where not known. */
  record Info(LeaseRecord lease, long remainingMillis) implements LeaseResult {}

  /** The answer to {@link LeaseQuery.KeepAliveMany}: one renewal per lease asked for, in the order asked. */
  record Renewals(java.util.List<Renewal> renewals) implements LeaseResult {
    public Renewals {
      renewals = java.util.List.copyOf(renewals);
    }
  }

  /**
   * One lease of a {@link Renewals}: not {@code found} (never granted, revoked or expired), or renewed with
   * {@code remainingMillis} to live (0: it has just expired, its expiry not committed yet).
   */
  record Renewal(long id, boolean found, long remainingMillis) {}

  /** Every lease of the group and its lessor. */
  record Listing(LeaseTable.View table) implements LeaseResult {}
}
