package io.raftring.eventual;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A Merkle tree over the keys one node shares with one peer, for anti-entropy between them. Keys fall into
 * {@code 2^leafBits} leaves by their position on the ring (the top bits of its 32-bit hash), so every node puts a key
 * in the same leaf. A leaf's hash is the XOR of its keys' entry hashes ({@link VersionedValue#entryHash}), so a write
 * updates it in O(1) by XORing the old entry out and the new one in, whatever the order of concurrent writes. Inner
 * nodes have {@code 2^fanOutBits} children and hash them; {@link #snapshot} computes them when an exchange starts.
 *
 * <p>Two replicas compare roots, then the children of the nodes that differ, down to the leaves that differ
 * ({@link MerkleDiff}); only the keys of those leaves are compared and transferred.
 *
 * <p>Thread-safe: leaves are atomics. A snapshot taken during writes may catch a key between its old and new entry,
 * which shows as a difference that the key-by-key comparison then finds to be none.
 */
public final class MerkleTree {

  private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();

  private final int leafBits;
  private final int fanOutBits;
  private final AtomicLongArray leaves;

  public MerkleTree(int leafBits, int fanOutBits) {
    if (fanOutBits < 1 || leafBits < fanOutBits || leafBits > 20 || leafBits % fanOutBits != 0) {
      throw new IllegalArgumentException("leaf bits (" + leafBits + ") must be a multiple of fan-out bits ("
          + fanOutBits + "), both at least 1 and at most 20");
    }
    this.leafBits = leafBits;
    this.fanOutBits = fanOutBits;
    this.leaves = new AtomicLongArray(1 << leafBits);
  }

  public int leafBits() {
    return leafBits;
  }

  public int fanOutBits() {
    return fanOutBits;
  }

  /** The leaf a ring position (an unsigned 32-bit hash) falls in. */
  public static int leafOf(long ringPosition, int leafBits) {
    return (int) (ringPosition >>> (32 - leafBits));
  }

  /** XORs an entry hash into (or, done twice, out of) the leaf of {@code ringPosition}. */
  public void toggle(long ringPosition, long entryHash) {
    int leaf = leafOf(ringPosition, leafBits);
    leaves.accumulateAndGet(leaf, entryHash, (a, b) -> a ^ b);
  }

  /** Replaces a key's entry: {@code before} out, {@code after} in (0 for "no entry" on either side). */
  public void replace(long ringPosition, long before, long after) {
    if (before != after) {
      toggle(ringPosition, before ^ after);
    }
  }

  /** Every level's hashes as they are now: level 0 is the root, the last level the leaves. */
  public Snapshot snapshot() {
    int depth = leafBits / fanOutBits;
    long[][] levels = new long[depth + 1][];
    long[] leafHashes = new long[leaves.length()];
    for (int i = 0; i < leafHashes.length; i++) {
      leafHashes[i] = leaves.get(i);
    }
    levels[depth] = leafHashes;
    int fanOut = 1 << fanOutBits;
    byte[] buffer = new byte[8 * fanOut];
    for (int level = depth - 1; level >= 0; level--) {
      long[] children = levels[level + 1];
      long[] parents = new long[children.length / fanOut];
      for (int p = 0; p < parents.length; p++) {
        parents[p] = hashOf(children, p * fanOut, fanOut, buffer);
      }
      levels[level] = parents;
    }
    return new Snapshot(fanOutBits, levels);
  }

  /** An inner node's hash: 0 when all its children are (so empty subtrees agree cheaply), else XXH64 of them. */
  private static long hashOf(long[] children, int from, int count, byte[] buffer) {
    boolean empty = true;
    for (int i = 0; i < count; i++) {
      long h = children[from + i];
      empty &= h == 0;
      for (int b = 0; b < 8; b++) {
        buffer[8 * i + b] = (byte) (h >>> (8 * b));
      }
    }
    return empty ? 0 : XXH64.hash(buffer, 0, 8 * count, 0);
  }

  /** The hashes of every level at one moment. */
  public static final class Snapshot {
    private final int fanOutBits;
    private final long[][] levels;

    Snapshot(int fanOutBits, long[][] levels) {
      this.fanOutBits = fanOutBits;
      this.levels = levels;
    }

    /** The level of the leaves (0 is the root). */
    public int leafLevel() {
      return levels.length - 1;
    }

    public int fanOut() {
      return 1 << fanOutBits;
    }

    public long root() {
      return levels[0][0];
    }

    public long hash(int level, int index) {
      return levels[level][index];
    }

    /** The hashes of nodes {@code indices} of {@code level}; an index out of range is an IllegalArgumentException. */
    public long[] hashes(int level, int[] indices) {
      if (level < 0 || level >= levels.length) {
        throw new IllegalArgumentException("no level " + level + " in a tree of " + levels.length + " levels");
      }
      long[] out = new long[indices.length];
      for (int i = 0; i < indices.length; i++) {
        if (indices[i] < 0 || indices[i] >= levels[level].length) {
          throw new IllegalArgumentException("no node " + indices[i] + " on level " + level);
        }
        out[i] = levels[level][indices[i]];
      }
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Snapshot s && Arrays.deepEquals(levels, s.levels);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(root());
    }
  }
}
