package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sibling resolution with dotted version vectors: what a write supersedes, what a merge keeps, and that replicas
 * merging in any order agree without losing a write nobody saw.
 */
class VersionedValueTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(VersionedValue v) {
    return v.siblings().stream().map(s -> s.value() == null ? "<deleted>" : new String(s.value(),
        StandardCharsets.UTF_8)).sorted().toList();
  }

  @Test
  void aWriteWithTheContextOfARead() {
    // given a value written once
    VersionedValue v1 = VersionedValue.EMPTY.update("a", 1, null, b("one"), 10);
    // when a client writes back with the context it read
    VersionedValue v2 = v1.update("a", 2, v1.clock(), b("two"), 20);
    // then the new value supersedes the one it saw
    assertThat(values(v2)).containsExactly("two");
    assertThat(v2.clock().compare(v1.clock())).isEqualTo(Causality.AFTER);
  }

  @Test
  void twoWritesFromTheSameContextThroughOneCoordinatorAreSiblings() {
    VersionedValue v1 = VersionedValue.EMPTY.update("a", 1, null, b("one"), 10);
    VersionVector read = v1.clock();
    VersionedValue v2 = v1.update("a", 2, read, b("x"), 20);
    VersionedValue v3 = v2.update("a", 3, read, b("y"), 30);
    assertThat(values(v3)).containsExactly("x", "y");
  }

  @Test
  void anEmptyContextSupersedesNothing() {
    VersionedValue v1 = VersionedValue.EMPTY.update("a", 1, null, b("one"), 10);
    VersionedValue v2 = v1.update("a", 2, VersionVector.EMPTY, b("two"), 20);
    assertThat(values(v2)).containsExactly("one", "two");
  }

  @Test
  void aBlindWriteReplacesEverySiblingItsCoordinatorHolds() {
    VersionedValue v1 = VersionedValue.EMPTY.update("a", 1, null, b("one"), 10);
    VersionedValue siblings = v1.update("a", 2, VersionVector.EMPTY, b("two"), 20);
    VersionedValue blind = siblings.update("a", 3, null, b("three"), 30);
    assertThat(values(blind)).containsExactly("three");
  }

  @Test
  void writesOnTwoSidesOfAPartitionBecomeSiblingsWhenMerged() {
    // given one value both sides had
    VersionedValue base = VersionedValue.EMPTY.update("a", 1, null, b("base"), 10);
    // when each side writes over it with the context it read
    VersionedValue left = base.update("a", 2, base.clock(), b("left"), 20);
    VersionedValue right = base.update("b", 1, base.clock(), b("right"), 21);
    // then after the heal both writes are siblings, on both sides, and the base is gone
    assertThat(values(left.merge(right))).containsExactly("left", "right");
    assertThat(left.merge(right)).isEqualTo(right.merge(left));
    // and a write with the merged context resolves them
    VersionedValue merged = left.merge(right);
    VersionedValue resolved = merged.update("a", 3, merged.clock(), b("resolved"), 30);
    assertThat(values(resolved)).containsExactly("resolved");
    assertThat(values(resolved.merge(left)).size()).isEqualTo(1);
    assertThat(values(right.merge(resolved))).containsExactly("resolved");
  }

  @Test
  void aMergeKeepsASiblingTheOtherSideNeverSaw() {
    VersionedValue a = VersionedValue.EMPTY.update("a", 1, null, b("a1"), 10);
    VersionedValue stale = VersionedValue.EMPTY;
    assertThat(stale.merge(a)).isEqualTo(a);
    assertThat(a.merge(stale)).isEqualTo(a);
  }

  @Test
  void aMergeDropsASiblingTheOtherSideSawAndSuperseded() {
    VersionedValue old = VersionedValue.EMPTY.update("a", 1, null, b("old"), 10);
    VersionedValue newer = old.update("b", 1, old.clock(), b("new"), 20);
    assertThat(values(old.merge(newer))).containsExactly("new");
  }

  @Test
  void aDeleteIsATombstoneSiblingThatAConcurrentPutSitsBeside() {
    VersionedValue base = VersionedValue.EMPTY.update("a", 1, null, b("v"), 10);
    VersionedValue deleted = base.update("a", 2, base.clock(), null, 20);
    VersionedValue put = base.update("b", 1, base.clock(), b("w"), 15);
    assertThat(deleted.isDeleted()).isTrue();
    VersionedValue both = deleted.merge(put);
    assertThat(values(both)).containsExactly("<deleted>", "w");
    assertThat(both.isDeleted()).isFalse();
    // last-writer-wins picks the later timestamp: the delete
    assertThat(both.newest().isTombstone()).isTrue();
  }

  @Test
  void lastWriterWinsBreaksTimestampTiesByDotSoEveryReplicaPicksTheSame() {
    Sibling x = new Sibling(new Dot("a", 1), 5, b("x"));
    Sibling y = new Sibling(new Dot("b", 1), 5, b("y"));
    assertThat(y.newerThan(x)).isTrue();
    assertThat(x.newerThan(y)).isFalse();
  }

  @Test
  void replicasThatMergeTheSameWritesInAnyOrderAgree() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      // three coordinators each make a few writes from contexts they saw, exchanging now and then
      VersionedValue[] replicas = {VersionedValue.EMPTY, VersionedValue.EMPTY, VersionedValue.EMPTY};
      long[] counters = {0, 0, 0};
      List<VersionedValue> everything = new ArrayList<>();
      for (int step = 0; step < 12; step++) {
        int r = random.nextInt(3);
        if (random.nextBoolean()) {
          VersionVector context = random.nextBoolean() ? replicas[r].clock() : null;
          replicas[r] = replicas[r].update("n" + r, ++counters[r], context, b("v" + step), step);
        } else {
          replicas[r] = replicas[r].merge(replicas[random.nextInt(3)]);
        }
        everything.add(replicas[r]);
      }
      VersionedValue forward = VersionedValue.EMPTY;
      VersionedValue backward = VersionedValue.EMPTY;
      for (int i = 0; i < everything.size(); i++) {
        forward = forward.merge(everything.get(i));
        backward = backward.merge(everything.get(everything.size() - 1 - i));
      }
      assertThat(forward).isEqualTo(backward);
      assertThat(forward.merge(forward)).isEqualTo(forward);
      // every replica's final state is included in the join
      for (VersionedValue replica : replicas) {
        assertThat(forward.merge(replica)).isEqualTo(forward);
      }
    }
  }

  @Test
  void everySiblingMustBeCoveredByTheClockAndAppearOnce() {
    Sibling s = new Sibling(new Dot("a", 2), 1, b("x"));
    assertThatThrownBy(() -> VersionedValue.of(VersionVector.EMPTY, List.of(s)))
        .isInstanceOf(IllegalArgumentException.class);
    VersionVector clock = VersionVector.EMPTY.with(new Dot("a", 2));
    assertThatThrownBy(() -> VersionedValue.of(clock, List.of(s, s))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEncodingRoundTripsAndEqualValuesHaveEqualDigests() {
    VersionedValue base = VersionedValue.EMPTY.update("a", 1, null, b("v"), 10);
    VersionedValue value = base.update("b", 4, VersionVector.EMPTY, null, 11);
    VersionedValue decoded = VersionedValue.fromBytes(value.toBytes());
    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.digest()).isEqualTo(value.digest());
    assertThat(base.digest()).isNotEqualTo(value.digest());
    assertThatThrownBy(() -> VersionedValue.fromBytes(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
  }
}
