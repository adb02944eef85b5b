package io.raftring.bench;

import java.util.SplittableRandom;

/**
 * Picks the index of the next key, in [0, keyCount). Implementations are immutable and shared by all clients; each
 * client brings its own random source, so no lock is taken on the hot path.
 */
public interface KeyChooser {

  int keyCount();

  int next(SplittableRandom random);

  /** Every key equally likely. */
  static KeyChooser uniform(int keyCount) {
    if (keyCount < 1) {
      throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
    }
    return new KeyChooser() {
      @Override
      public int keyCount() {
        return keyCount;
      }

      @Override
      public int next(SplittableRandom random) {
        return random.nextInt(keyCount);
      }

      @Override
      public String toString() {
        return "uniform(" + keyCount + ")";
      }
    };
  }
}
