package io.raftring.bench;

/**
 * One second (or the last part-second) of a measured run.
 *
 * @param second seconds since the measurement started, at the end of this interval
 * @param opsPerSecond answered operations (OK, not found, CAS conflict) per second in this interval
 * @param p50Millis median latency of the interval's answered operations, ms (0 when there were none)
 * @param p99Millis 99th percentile, ms
 * @param maxMillis the interval's maximum, ms
 * @param errors errors in this interval
 */
public record TimelinePoint(
    double second, double opsPerSecond, double p50Millis, double p99Millis, double maxMillis, long errors) {}
