package io.raftring.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf-distributed key indices: the key of rank r (1-based; index r-1) is drawn with probability
 * {@code (1 / r^theta) / H(n, theta)}, where {@code H(n, theta) = sum_{i=1..n} 1 / i^theta}. So rank 1 is
 * {@code 10^theta} times as likely as rank 10. theta = 0 is uniform; YCSB's default skew is 0.99.
 *
 * <p>Sampling is exact: the cumulative distribution is tabulated once (8 bytes per key) and a uniform draw is
 * turned into a rank by binary search, O(log n). Unlike the Gray et al. approximation YCSB uses, this works for any
 * theta >= 0, including 1.
 */
public final class ZipfianKeys implements KeyChooser {

  private final int keyCount;
  private final double theta;
  /** cumulative[i] = P(index <= i); the last entry is 1. */
  private final double[] cumulative;

  private ZipfianKeys(int keyCount, double theta, double[] cumulative) {
    this.keyCount = keyCount;
    this.theta = theta;
    this.cumulative = cumulative;
  }

  public static ZipfianKeys create(int keyCount, double theta) {
    if (keyCount < 1) {
      throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
    }
    if (!(theta >= 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("theta must be a finite number >= 0, was " + theta);
    }
    double[] cumulative = new double[keyCount];
    double sum = 0;
    for (int rank = 1; rank <= keyCount; rank++) {
      sum += 1.0 / Math.pow(rank, theta);
      cumulative[rank - 1] = sum;
    }
    for (int i = 0; i < keyCount; i++) {
      cumulative[i] /= sum;
    }
    cumulative[keyCount - 1] = 1.0;
    return new ZipfianKeys(keyCount, theta, cumulative);
  }

  /** The probability of the key at {@code index} (rank index+1). */
  public double probability(int index) {
    return index == 0 ? cumulative[0] : cumulative[index] - cumulative[index - 1];
  }

  public double theta() {
    return theta;
  }

  @Override
  public int keyCount() {
    return keyCount;
  }

  @Override
  public int next(SplittableRandom random) {
    double u = random.nextDouble();
    int found = Arrays.binarySearch(cumulative, u);
    // binarySearch gives -(insertion point) - 1 when u is not an entry: the first index whose cumulative exceeds u.
    int index = found >= 0 ? found + 1 : -found - 1;
    return Math.min(index, keyCount - 1);
  }

  @Override
  public String toString() {
    return "zipfian(" + keyCount + ", theta=" + theta + ")";
  }
}
