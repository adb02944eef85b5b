package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Merkle trees over ring positions: order-free updates, and a diff that walks only into differing subtrees. */
class MerkleTreeTest {

  private static long position(String key) {
    return NodeRing.positionOf(key);
  }

  private static MerkleTree treeWith(String... keys) {
    MerkleTree tree = new MerkleTree(10, 5);
    for (String key : keys) {
      tree.toggle(position(key), VersionedValue.entryHash(key, key.hashCode()));
    }
    return tree;
  }

  @Test
  void treesOfTheSameEntriesAgreeWhateverTheOrderTheyCameIn() {
    assertThat(treeWith("a", "b", "c").snapshot()).isEqualTo(treeWith("c", "a", "b").snapshot());
    assertThat(new MerkleTree(10, 5).snapshot().root()).isZero();
  }

  @Test
  void replacingAnEntryAndPuttingItBackRestoresTheTree() {
    MerkleTree tree = treeWith("a", "b");
    MerkleTree.Snapshot before = tree.snapshot();
    long old = VersionedValue.entryHash("a", "a".hashCode());
    tree.replace(position("a"), old, 12345L);
    assertThat(tree.snapshot()).isNotEqualTo(before);
    tree.replace(position("a"), 12345L, old);
    assertThat(tree.snapshot()).isEqualTo(before);
  }

  @Test
  void theDiffFindsExactlyTheLeavesOfTheKeysThatDiffer() {
    String[] keys = new String[500];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "key-" + i;
    }
    MerkleTree a = treeWith(keys);
    MerkleTree b = treeWith(keys);
    b.toggle(position("key-17"), 99);
    b.toggle(position("only-in-b"), 7);
    List<Integer> differing = MerkleDiff.differingLeaves(a.snapshot(), b.snapshot());
    assertThat(differing).containsExactlyInAnyOrder(
        MerkleTree.leafOf(position("key-17"), 10), MerkleTree.leafOf(position("only-in-b"), 10));
    assertThat(MerkleDiff.differingLeaves(a.snapshot(), treeWith(keys).snapshot())).isEmpty();
  }

  @Test
  void treesThatAgreeCostOneHash() {
    MerkleTree.Snapshot s = treeWith("a", "b").snapshot();
    MerkleDiff diff = new MerkleDiff(s, 64);
    assertThat(diff.nextLevel()).isZero();
    assertThat(diff.nextIndices()).containsExactly(0);
    diff.compare(new long[] {s.root()});
    assertThat(diff.done()).isTrue();
    assertThat(diff.differingLeaves()).isEmpty();
  }

  @Test
  void aWalkTakesAtMostItsLeafBudgetAndSaysSo() {
    MerkleTree a = new MerkleTree(10, 5);
    MerkleTree b = new MerkleTree(10, 5);
    for (int i = 0; i < 200; i++) {
      b.toggle(position("k" + i), i + 1);
    }
    MerkleDiff diff = new MerkleDiff(a.snapshot(), 3);
    MerkleTree.Snapshot remote = b.snapshot();
    while (!diff.done()) {
      diff.compare(remote.hashes(diff.nextLevel(), diff.nextIndices()));
    }
    assertThat(diff.differingLeaves()).hasSize(3);
    assertThat(diff.truncated()).isTrue();
  }

  @Test
  void aTreeMustHaveWholeLevels() {
    assertThatThrownBy(() -> new MerkleTree(10, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> treeWith("a").snapshot().hashes(5, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
