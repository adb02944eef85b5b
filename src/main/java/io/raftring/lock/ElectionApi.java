package io.raftring.lock;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Leader election on leases, as etcd's {@code concurrency.Election}: candidates queue with a value (their address,
 * say) under {@code _elections/{NAME}/<lease>}; the oldest leads until it resigns or its lease ends, and the next in
 * line takes over. The leader may change its value (proclaim) without giving up its place.
 */
public interface ElectionApi {

  /** Waits until {@code lease} leads election {@code name}, announcing {@code value}. Fails as {@link LockApi#lock}. */
  CompletionStage<Ownership> campaign(String name, long lease, byte[] value, Duration timeout);

  /** The leader announces a new value; fails with CONFLICT when {@code lease} does not lead. */
  CompletionStage<Ownership> proclaim(String name, long lease, byte[] value, Duration timeout);

  /** Gives leadership (or the place in line) up; true if the lease was a candidate. */
  CompletionStage<Boolean> resign(String name, long lease, Duration timeout);

  /** The leader now, if any. */
  CompletionStage<Optional<Ownership>> leader(String name, Duration timeout);

  /**
   * The leader now and at every change after (empty while there is none), each change once; it fails like a watch
   * does (with the watch's exception).
   */
  Source<Optional<Ownership>, NotUsed> observe(String name);
}
