package io.raftring.dashboard;

import io.raftring.CborSerializable;
import java.util.Map;

/**
 * One node's KV requests over one sampling interval ending at {@code epochSecond} (the node's wall clock): answers
 * per second, error answers per second by error code, and the median and 99th percentile latency in milliseconds
 * (null when nothing was answered), estimated from the latency histogram's buckets.
 */
public record RequestSample(
    long epochSecond,
    double requestsPerSecond,
    Map<String, Double> errorsPerSecond,
    Double p50Millis,
    Double p99Millis) implements CborSerializable {}
