package io.raftring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.ring.HashRing;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingViewTest {

  private static final List<String> GROUPS = List.of("g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7");

  /** Whether {@code position} lies in the arc (start, end], clockwise, wrapping past the top. */
  private static boolean inArc(long position, long start, long end) {
    if (start == end) {
      return true;
    }
    return start < end ? position > start && position <= end : position > start || position <= end;
  }

  @Test
  void eachGroupsArcRunsFromItsPositionThroughThePointsThatPickedItsReplicas() {
    HashRing nodes = HashRing.of(List.of("n1", "n2", "n3", "n4"), 16);

    for (RingView.GroupArc arc : RingView.groupArcs(nodes, GROUPS, 3)) {
      assertThat(arc.position()).isEqualTo(HashRing.positionOf(arc.group()));
      assertThat(arc.replicas()).isEqualTo(nodes.preferenceList(arc.group(), 3));
      // Every point in the arc belongs to a replica, and the last one is the third replica's.
      long before = Math.floorMod(arc.position() - 1, RingView.RING_SIZE);
      List<HashRing.Point> inside = nodes.points().stream()
          .filter(p -> inArc(p.position(), before, arc.end()))
          .toList();
      assertThat(inside).extracting(HashRing.Point::member).allMatch(arc.replicas()::contains);
      assertThat(nodes.ownerAt(arc.end())).isEqualTo(arc.replicas().get(2));
      assertThat(nodes.points()).containsAll(arc.picked());
    }
  }

  @Test
  void theKeyArcsCoverTheRingAndAgreeWithLookup() {
    HashRing groups = HashRing.of(GROUPS, 16);

    RingView.KeyArcs arcs = RingView.keyArcs(groups, 4096);

    assertThat(arcs.sampled()).isFalse();
    // Consecutive arcs meet, and the last meets the first: the whole ring, nothing twice.
    for (int i = 0; i < arcs.arcs().size(); i++) {
      RingView.KeyArc next = arcs.arcs().get((i + 1) % arcs.arcs().size());
      assertThat(next.start()).isEqualTo(arcs.arcs().get(i).end());
    }
    for (String key : List.of("a", "user/42", "greeting", "k-17", "zzz")) {
      long position = HashRing.positionOf(key);
      RingView.KeyArc owner = arcs.arcs().stream().filter(a -> inArc(position, a.start(), a.end())).findFirst()
          .orElseThrow();
      assertThat(owner.group()).as(key).isEqualTo(groups.lookup(key));
    }
  }

  @Test
  void neighbouringArcsOfOneGroupAreMerged() {
    RingView.KeyArcs arcs = RingView.keyArcs(HashRing.of(GROUPS, 16), 4096);

    for (int i = 0; i < arcs.arcs().size(); i++) {
      RingView.KeyArc next = arcs.arcs().get((i + 1) % arcs.arcs().size());
      assertThat(next.group()).isNotEqualTo(arcs.arcs().get(i).group());
    }
  }

  @Test
  void aRingOfOneMemberIsOneWholeArc() {
    RingView.KeyArcs arcs = RingView.keyArcs(HashRing.of(List.of("g0"), 8), 4096);

    assertThat(arcs.arcs()).singleElement().satisfies(a -> {
      assertThat(a.group()).isEqualTo("g0");
      assertThat(a.start()).isEqualTo(a.end());
    });
  }

  @Test
  void aRingWithMorePointsThanArcsAskedForIsSampled() {
    HashRing groups = HashRing.of(GROUPS, 128);

    RingView.KeyArcs arcs = RingView.keyArcs(groups, 64);

    assertThat(arcs.sampled()).isTrue();
    assertThat(arcs.arcs()).hasSizeLessThanOrEqualTo(64);
    for (RingView.KeyArc arc : arcs.arcs()) {
      assertThat(groups.ownerAt(arc.end())).isEqualTo(arc.group());
    }
  }
}
