package io.raftring.kv;

import java.util.List;

/**
 * A change to leases, proposed to a group and applied by {@link KvStateMachine} once committed; encoded by
 * {@link LeaseCodec}. Grant, revoke, expire and promote go to the lease's own group; deleting a revoked lease's keys
 * goes to every group.
 */
public sealed interface LeaseCommand {

  /** The most ids one command names. */
  int MAX_IDS = 10_000;

  /** Grants lease {@code id} with {@code ttlMillis}; refused with EXISTS if the id was ever used here (recently). */
  record Grant(long id, long ttlMillis) implements LeaseCommand {
    public Grant {
      new LeaseRecord(id, ttlMillis, false);
    }
  }

  /** Its holder revokes lease {@code id}: its keys in this group are deleted at once. */
  record Revoke(long id) implements LeaseCommand {}

  /**
   * The lessor of lessor epoch {@code epoch} found {@code ids} expired. Refused with STALE_EPOCH unless that epoch is
   * still the group's, so a deposed leader's clock never expires anything.
   */
  record Expire(long epoch, List<Long> ids) implements LeaseCommand {
    public Expire {
      ids = List.copyOf(ids);
    }
  }

  /**
   * {@code node}, leading the group, takes over its lessor: applied only if the lessor epoch is still
   * {@code expectedEpoch}, which it then increments.
   */
  record Promote(String node, long expectedEpoch) implements LeaseCommand {}

  /** Deletes this group's keys attached to the revoked leases {@code ids}, and refuses later puts naming them. */
  record DeleteKeys(List<Long> ids) implements LeaseCommand {
    public DeleteKeys {
      ids = List.copyOf(ids);
    }
  }

  /** The revoked leases {@code ids} have no keys left in any group: drop their records. */
  record Forget(List<Long> ids) implements LeaseCommand {
    public Forget {
      ids = List.copyOf(ids);
    }
  }
}
