package io.raftring.lease;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Lease settings, from {@code raftring.lease} (reference.conf documents each one's unit and default).
 *
 * @param minTtl             the shortest TTL granted (a shorter request is raised to it, as etcd does)
 * @param maxTtl             the longest TTL granted (a longer request is refused)
 * @param checkInterval      how often a lessor looks for expired leases
 * @param pollInterval       how often a node checks which of its replicas lead, to take their lessor over
 * @param promotionExtension what a new lessor adds to every lease's TTL when it takes over
 */
public record LeaseSettings(
    Duration minTtl, Duration maxTtl, Duration checkInterval, Duration pollInterval, Duration promotionExtension) {

  public LeaseSettings {
    if (minTtl.isNegative() || minTtl.isZero() || maxTtl.compareTo(minTtl) < 0) {
      throw new IllegalArgumentException("raftring.lease: need 0 < min-ttl <= max-ttl");
    }
  }

  public static LeaseSettings fromConfig(Config config) {
    Config l = config.getConfig("raftring.lease");
    return new LeaseSettings(l.getDuration("min-ttl"), l.getDuration("max-ttl"), l.getDuration("check-interval"),
        l.getDuration("poll-interval"), l.getDuration("promotion-extension"));
  }
}
