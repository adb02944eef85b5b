package io.raftring.eventual;

import java.util.ArrayList;
import java.util.List;

/**
 * One side's walk down two Merkle trees to the leaves where they differ, a level per round trip: ask the peer for the
 * hashes of {@link #nextIndices()} on {@link #nextLevel()}, hand them to {@link #compare}, repeat until
 * {@link #done()}; then {@link #differingLeaves()}. The root first, then only the children of nodes that differ, so
 * two trees that agree cost one hash, and one differing key costs one path.
 *
 * <p>At most {@code maxLeaves} differing leaves are collected per walk (the first ones in ring order); the rest wait
 * for the next exchange, and {@link #truncated()} says so.
 */
public final class MerkleDiff {

  private final MerkleTree.Snapshot local;
  private final int maxLeaves;
  private int level;
  private int[] indices = {0};
  private final List<Integer> differing = new ArrayList<>();
  private boolean truncated;
  private boolean done;

  public MerkleDiff(MerkleTree.Snapshot local, int maxLeaves) {
    this.local = local;
    this.maxLeaves = maxLeaves;
  }

  public int nextLevel() {
    return level;
  }

  public int[] nextIndices() {
    return indices.clone();
  }

  public boolean done() {
    return done;
  }

  /** Takes the peer's hashes of the requested nodes and moves one level down (or finishes). */
  public void compare(long[] remote) {
    if (done) {
      throw new IllegalStateException("the walk is over");
    }
    if (remote.length != indices.length) {
      throw new IllegalArgumentException("expected " + indices.length + " hashes, got " + remote.length);
    }
    List<Integer> differs = new ArrayList<>();
    for (int i = 0; i < indices.length; i++) {
      if (local.hash(level, indices[i]) != remote[i]) {
        differs.add(indices[i]);
      }
    }
    if (level == local.leafLevel()) {
      for (int leaf : differs) {
        if (differing.size() == maxLeaves) {
          truncated = true;
          break;
        }
        differing.add(leaf);
      }
      done = true;
      return;
    }
    if (differs.isEmpty()) {
      done = true;
      return;
    }
    int fanOut = local.fanOut();
    List<Integer> children = new ArrayList<>();
    for (int parent : differs) {
      for (int c = 0; c < fanOut; c++) {
        children.add(parent * fanOut + c);
      }
    }
    // Descending further than the leaves we can take would only find leaves we leave for the next exchange.
    int keep = level + 1 == local.leafLevel()
        ? children.size()
        : (int) Math.min(children.size(), (long) maxLeaves * fanOut);
    if (keep < children.size()) {
      truncated = true;
    }
    indices = children.subList(0, keep).stream().mapToInt(Integer::intValue).toArray();
    level++;
  }

  /** The leaves found to differ, in ring order; complete only once {@link #done()}. */
  public List<Integer> differingLeaves() {
    return List.copyOf(differing);
  }

  /** Whether more leaves differed than this walk took. */
  public boolean truncated() {
    return truncated;
  }

  /** Every leaf where two snapshots differ (both sides local): the whole walk at once. */
  public static List<Integer> differingLeaves(MerkleTree.Snapshot a, MerkleTree.Snapshot b) {
    MerkleDiff diff = new MerkleDiff(a, Integer.MAX_VALUE);
    while (!diff.done()) {
      diff.compare(b.hashes(diff.nextLevel(), diff.nextIndices()));
    }
    return diff.differingLeaves();
  }
}
