package io.raftring.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A run's settings, validated. Exactly one of {@code clients} (closed loop) and {@code ratePerSecond} (open loop) is
 * in use: {@code ratePerSecond > 0} means open loop.
 *
 * @param target "raftring", "ev" (RaftRing's eventually consistent keyspace) or "etcd"
 * @param consistency raftring: linearizable, lease or stale; etcd: linearizable or serializable; ev: "w=W,r=R"
 * @param zipfTheta the skew of the zipfian key distribution (ignored for uniform)
 * @param maxOutstanding open loop: most requests in flight at once
 * @param maxOperations a hard bound on requests per run (besides the duration)
 * @param httpClient "socket" ({@link SocketHttpTransport}) or "jdk" ({@link JdkHttpTransport})
 * @param httpClients jdk only: HttpClient instances (one selector thread each)
 * @param httpThreads jdk only: completion threads shared by the HttpClients
 * @param txnKeys txn-transfer: "same-group" (the two keys share a hash tag) or "cross-group" (they live in different
 *     groups, so each transfer commits in two phases); etcd has one group and treats both alike
 */
public record BenchSettings(
    String target,
    List<URI> endpoints,
    Workload workload,
    double readRatio,
    String consistency,
    int clients,
    double ratePerSecond,
    int maxOutstanding,
    int keys,
    String keyDistribution,
    double zipfTheta,
    String keyPrefix,
    int valueSize,
    Duration duration,
    Duration warmup,
    boolean preload,
    Duration requestTimeout,
    long maxOperations,
    long seed,
    String httpClient,
    int httpClients,
    int httpThreads,
    String etcdApiPrefix,
    String txnKeys) {

  public BenchSettings {
    endpoints = List.copyOf(endpoints);
    require(target.equals("raftring") || target.equals("etcd") || target.equals("ev"),
        "--target must be raftring, ev or etcd, was " + target);
    require(!endpoints.isEmpty(), "--endpoints needs at least one endpoint");
    require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be within [0, 1], was " + readRatio);
    if (target.equals("ev")) {
      require(consistency.matches("w=(\\d+|quorum|all),r=(\\d+|quorum|all)"),
          "--w and --r for ev must be a number, quorum or all, were " + consistency);
    } else if (target.equals("raftring")) {
      require(
          consistency.equals("linearizable") || consistency.equals("lease") || consistency.equals("stale"),
          "--consistency for raftring must be linearizable, lease or stale, was " + consistency);
    } else {
      require(
          consistency.equals("linearizable") || consistency.equals("serializable"),
          "--consistency for etcd must be linearizable or serializable (stale), was " + consistency);
    }
    require(ratePerSecond >= 0 && !Double.isInfinite(ratePerSecond), "--rate must be >= 0, was " + ratePerSecond);
    require(ratePerSecond > 0 || clients >= 1, "--clients must be at least 1, was " + clients);
    require(clients <= 4096, "--clients must be at most 4096, was " + clients);
    require(maxOutstanding >= 1 && maxOutstanding <= 4096,
        "--max-outstanding must be within [1, 4096], was " + maxOutstanding);
    require(httpClient.equals("socket") || httpClient.equals("jdk"), "--http-client must be socket or jdk, was " + httpClient);
    require(keys >= 1, "--keys must be at least 1, was " + keys);
    require(
        keyDistribution.equals("uniform") || keyDistribution.equals("zipfian"),
        "--key-distribution must be uniform or zipfian, was " + keyDistribution);
    require(zipfTheta >= 0 && !Double.isInfinite(zipfTheta), "--zipf-theta must be >= 0, was " + zipfTheta);
    require(valueSize >= 0 && valueSize <= 16 * 1024 * 1024, "--value-size must be within [0, 16 MiB], was " + valueSize);
    require(!duration.isNegative() && !duration.isZero(), "--duration must be positive, was " + duration);
    require(!warmup.isNegative(), "--warmup must not be negative, was " + warmup);
    require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "--timeout must be positive");
    require(maxOperations >= 1, "--max-ops must be at least 1, was " + maxOperations);
    require(httpClients >= 1 && httpThreads >= 1, "--http-clients and --http-threads must be at least 1");
    require(txnKeys.equals("same-group") || txnKeys.equals("cross-group"),
        "--txn-keys must be same-group or cross-group, was " + txnKeys);
  }

  public boolean openLoop() {
    return ratePerSecond > 0;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
