package io.raftring.ring;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain reference, {@code MurmurHash3_x86_32}).
 *
 * <p>Ours rather than a library's so that every node computes ring positions with exactly this code: a position that
 * differed between two nodes would route the same key to two different groups.
 */
public final class Murmur3 {

  /**
   * The seed used for every ring position. Never change it: it would move every key and group on the ring at once.
   */
  public static final int RING_SEED = 0;

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Murmur3() {}

  /** The hash of the UTF-8 bytes of {@code text} with {@link #RING_SEED}. */
  public static int hash32(String text) {
    return hash32(text.getBytes(StandardCharsets.UTF_8), RING_SEED);
  }

  public static int hash32(byte[] data, int seed) {
    int h = seed;
    int length = data.length;
    int blockEnd = length & ~3;

    for (int i = 0; i < blockEnd; i += 4) {
      // The reference reads blocks little-endian regardless of the platform.
      int k = (data[i] & 0xff)
          | (data[i + 1] & 0xff) << 8
          | (data[i + 2] & 0xff) << 16
          | (data[i + 3] & 0xff) << 24;
      h ^= mixBlock(k);
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }

    int tail = 0;
    switch (length & 3) {
      case 3:
        tail ^= (data[blockEnd + 2] & 0xff) << 16;
        // fall through
      case 2:
        tail ^= (data[blockEnd + 1] & 0xff) << 8;
        // fall through
      case 1:
        tail ^= data[blockEnd] & 0xff;
        h ^= mixBlock(tail);
        break;
      default:
        break;
    }

    h ^= length;
    return finalMix(h);
  }

  private static int mixBlock(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }

  private static int finalMix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
