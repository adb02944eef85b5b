package io.raftring.lease;

/**
 * A lease as the API answers it.
 *
 * @param id              the lease id (shown as 16 hex digits, {@link io.raftring.kv.LeaseIds#format})
 * @param ttlMillis       the time to live it was granted with
 * @param remainingMillis what is left of it on its lessor's clock; -1 when the lessor's node could not say
 */
public record LeaseInfo(long id, long ttlMillis, long remainingMillis) {}
