package io.raftring.bench;

/**
 * What a load loop did, beyond the collector's counts.
 *
 * @param sent requests sent (open loop: not counting those that could not start)
 * @param abandoned requests still in flight when the loop stopped waiting for them (not counted anywhere else)
 */
public record DriverStats(long sent, long abandoned) {}
