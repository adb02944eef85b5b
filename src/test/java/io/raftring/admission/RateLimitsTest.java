package io.raftring.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private final AtomicLong clock = new AtomicLong();

  @Test
  void eachClientHasItsOwnBucket() {
    RateLimits limits = new RateLimits(new RateLimits.Limits(1, 2, 0, 1), 100, clock::get);
    assertThat(limits.admit("a").admitted()).isTrue();
    assertThat(limits.admit("a").admitted()).isTrue();
    RateLimits.Decision third = limits.admit("a");
    assertThat(third.admitted()).isFalse();
    assertThat(third.refusedBy()).isEqualTo("client a");
    assertThat(third.retryAfterNanos()).isEqualTo(1_000_000_000L);
    assertThat(limits.admit("b").admitted()).isTrue();
  }

  @Test
  void theNodeLimitCapsAllClientsTogether() {
    RateLimits limits = new RateLimits(new RateLimits.Limits(0, 1, 1, 3), 100, clock::get);
    assertThat(limits.admit("a").admitted()).isTrue();
    assertThat(limits.admit("b").admitted()).isTrue();
    assertThat(limits.admit("c").admitted()).isTrue();
    assertThat(limits.admit("d").refusedBy()).isEqualTo("node");
  }

  @Test
  void limitsChangeAtRuntime() {
    RateLimits limits = new RateLimits(new RateLimits.Limits(1, 1, 0, 1), 100, clock::get);
    limits.admit("a");
    assertThat(limits.admit("a").admitted()).isFalse();
    limits.update(RateLimits.Limits.unlimited());
    for (int i = 0; i < 1000; i++) {
      assertThat(limits.admit("a").admitted()).isTrue();
    }
  }

  @Test
  void theNumberOfTrackedClientsIsBounded() {
    RateLimits limits = new RateLimits(new RateLimits.Limits(1, 1, 0, 1), 10, clock::get);
    for (int i = 0; i < 1000; i++) {
      limits.admit("client-" + i);
    }
    assertThat(limits.trackedClients()).isLessThanOrEqualTo(10);
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThatThrownBy(() -> new RateLimits.Limits(-1, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimits.Limits(1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
