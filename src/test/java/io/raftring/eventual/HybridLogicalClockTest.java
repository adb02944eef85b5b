package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock on a hand-driven wall clock: monotonic, close to wall time, past anything it saw. */
class HybridLogicalClockTest {

  private final AtomicLong wall = new AtomicLong(1_000);
  private final HybridLogicalClock clock = new HybridLogicalClock(wall::get, 60_000);

  @Test
  void followsTheWallClockWhenItMoves() {
    long t1 = clock.now();
    wall.set(1_005);
    long t2 = clock.now();
    assertThat(HybridLogicalClock.physicalMillis(t1)).isEqualTo(1_000);
    assertThat(HybridLogicalClock.physicalMillis(t2)).isEqualTo(1_005);
    assertThat(HybridLogicalClock.logical(t2)).isZero();
  }

  @Test
  void countsLogicallyWhileTheWallClockStandsStillOrGoesBack() {
    long t1 = clock.now();
    long t2 = clock.now();
    wall.set(900);
    long t3 = clock.now();
    assertThat(t2).isGreaterThan(t1);
    assertThat(t3).isGreaterThan(t2);
    assertThat(HybridLogicalClock.physicalMillis(t3)).isEqualTo(1_000);
  }

  @Test
  void aTimestampSeenFromAnotherNodeComesBeforeEveryLaterOneHere() {
    long remote = HybridLogicalClock.timestamp(1_500, 7);
    clock.observe(remote);
    assertThat(clock.now()).isGreaterThan(remote);
  }

  @Test
  void aRemoteTimestampTooFarAheadIsNotFollowed() {
    long farAhead = HybridLogicalClock.timestamp(1_000 + 61_000, 0);
    clock.observe(farAhead);
    assertThat(clock.now()).isLessThan(farAhead);
    assertThat(clock.refusedRemote()).isEqualTo(1);
  }
}
