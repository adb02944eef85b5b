package io.raftring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramQuantileTest {

  private static final double[] BOUNDS = {0.001, 0.01, 0.1};

  @Test
  void noObservationsHaveNoQuantile() {
    assertThat(HistogramQuantile.estimate(BOUNDS, new long[4], 0.5)).isEmpty();
  }

  @Test
  void theRankIsInterpolatedLinearlyInsideItsBucket() {
    // 10 observations in (1 ms, 10 ms]: the median is halfway through that bucket.
    long[] counts = {0, 10, 0, 0};
    assertThat(HistogramQuantile.estimate(BOUNDS, counts, 0.5).getAsDouble()).isCloseTo(0.0055, within(1e-9));
  }

  @Test
  void theLowestBucketStartsAtZero() {
    long[] counts = {4, 0, 0, 0};
    assertThat(HistogramQuantile.estimate(BOUNDS, counts, 0.5).getAsDouble()).isCloseTo(0.0005, within(1e-9));
  }

  @Test
  void aTailInALaterBucketMovesTheP99ButNotTheMedian() {
    // 98 fast answers and 2 slow ones between 10 and 100 ms.
    long[] counts = {98, 0, 2, 0};
    assertThat(HistogramQuantile.estimate(BOUNDS, counts, 0.5).getAsDouble()).isLessThanOrEqualTo(0.001);
    assertThat(HistogramQuantile.estimate(BOUNDS, counts, 0.99).getAsDouble()).isCloseTo(0.055, within(1e-9));
  }

  @Test
  void aRankAboveTheHighestBoundAnswersThatBound() {
    long[] counts = {0, 0, 0, 5};
    assertThat(HistogramQuantile.estimate(BOUNDS, counts, 0.99).getAsDouble()).isEqualTo(0.1);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> HistogramQuantile.estimate(BOUNDS, new long[4], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistogramQuantile.estimate(BOUNDS, new long[3], 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
