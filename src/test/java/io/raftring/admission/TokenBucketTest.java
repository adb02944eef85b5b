package io.raftring.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAllowsItsBurstThenRefusesWithTheWaitForTheNextToken() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 10);
  }

  @Test
  void tokensAccrueAtTheRateUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    for (int i = 0; i < 3; i++) {
      bucket.tryTake(0);
    }
    assertThat(bucket.tryTake(SECOND / 10)).isZero();
    assertThat(bucket.tryTake(SECOND / 10)).isPositive();
    long muchLater = 100 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryTake(muchLater)).isZero();
    }
    assertThat(bucket.tryTake(muchLater)).as("never more than the burst").isPositive();
  }
}
