package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianKeysTest {

  private static long[] histogram(KeyChooser keys, int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] counts = new long[keys.keyCount()];
    for (int i = 0; i < samples; i++) {
      counts[keys.next(random)]++;
    }
    return counts;
  }

  @Test
  void rankOneIsAboutTenToTheThetaTimesAsFrequentAsRankTen() {
    ZipfianKeys keys = ZipfianKeys.create(1000, 0.99);
    long[] counts = histogram(keys, 1_000_000, 42);

    double ratio = (double) counts[0] / counts[9];
    // Expected 10^0.99 = 9.77; rank 10 is drawn ~13k times, so the ratio's sampling error is about 1%.
    assertThat(ratio).isBetween(9.0, 10.6);
    assertThat(counts[0] / 1e6).isCloseTo(keys.probability(0), within(0.005));
  }

  @Test
  void probabilitiesFollowOneOverRankToTheTheta() {
    ZipfianKeys keys = ZipfianKeys.create(100, 1.0);
    double harmonic = 0;
    for (int rank = 1; rank <= 100; rank++) {
      harmonic += 1.0 / rank;
    }
    assertThat(keys.probability(0)).isCloseTo(1 / harmonic, within(1e-12));
    assertThat(keys.probability(1)).isCloseTo(0.5 / harmonic, within(1e-12));
    assertThat(keys.probability(99)).isCloseTo(0.01 / harmonic, within(1e-12));
  }

  @Test
  void frequenciesFallWithRankAndEveryDrawIsInRange() {
    ZipfianKeys keys = ZipfianKeys.create(10_000, 0.99);
    long[] counts = histogram(keys, 500_000, 7);

    assertThat(counts[0]).isGreaterThan(counts[1]);
    assertThat(counts[1]).isGreaterThan(counts[9]);
    assertThat(counts[9]).isGreaterThan(counts[99]);
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    assertThat(total).isEqualTo(500_000);
    // The top 1% of keys take far more than 1% of the draws under skew 0.99 (about 52% exactly).
    long top = 0;
    for (int i = 0; i < 100; i++) {
      top += counts[i];
    }
    assertThat(top / 500_000.0).isBetween(0.48, 0.56);
  }

  @Test
  void thetaZeroIsUniform() {
    ZipfianKeys keys = ZipfianKeys.create(10, 0.0);
    long[] counts = histogram(keys, 100_000, 3);
    for (long count : counts) {
      assertThat(count).isBetween(9_400L, 10_600L);
    }
  }

  @Test
  void theSameSeedDrawsTheSameKeys() {
    ZipfianKeys keys = ZipfianKeys.create(1000, 0.99);
    assertThat(histogram(keys, 10_000, 5)).isEqualTo(histogram(keys, 10_000, 5));
  }

  @Test
  void aSingleKeyIsAlwaysDrawn() {
    ZipfianKeys keys = ZipfianKeys.create(1, 0.99);
    assertThat(histogram(keys, 1000, 1)).containsExactly(1000);
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> ZipfianKeys.create(0, 0.99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZipfianKeys.create(10, -0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZipfianKeys.create(10, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
