package io.raftring.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashRingTest {

  private static final List<String> MEMBERS = List.of("node-a", "node-b", "node-c", "node-d", "node-e");
  private static final int V = 16;

  @Test
  void aKeyBelongsToTheFirstVirtualNodeClockwiseFromItsPosition() {
    HashRing ring = HashRing.of(MEMBERS, V);
    List<Point> points = pointsByBruteForce(MEMBERS, V);

    for (int i = 0; i < 5_000; i++) {
      String key = "user:" + i;
      assertThat(ring.lookup(key)).as(key).isEqualTo(firstPointClockwise(points, HashRing.positionOf(key)).member);
    }
  }

  @Test
  void aLargeRingAnswersLikeTheBruteForceModelOnAndAroundEveryPoint() {
    List<String> groups = RingMeasurements.memberNames("g", 512);
    HashRing ring = HashRing.of(groups, 8);
    List<Point> points = pointsByBruteForce(groups, 8);

    for (Point point : points) {
      for (long position : new long[] {point.position - 1, point.position, point.position + 1}) {
        if (position >= 0 && position <= 0xFFFF_FFFFL) {
          assertThat(ring.ownerAt(position)).as("position %d", position)
              .isEqualTo(firstPointClockwise(points, position).member);
        }
      }
    }
  }

  @Test
  void aKeyExactlyOnAVirtualNodeBelongsToThatVirtualNode() {
    HashRing ring = HashRing.of(MEMBERS, V);

    assertThat(ring.ownerAt(HashRing.positionOf("node-c#7"))).isEqualTo("node-c");
  }

  @Test
  void aKeyPastTheHighestVirtualNodeWrapsAroundToTheLowest() {
    HashRing ring = HashRing.of(MEMBERS, V);
    List<Point> points = pointsByBruteForce(MEMBERS, V);
    Point lowest = points.get(0);
    Point highest = points.get(points.size() - 1);

    assertThat(highest.position).isLessThan(0xFFFF_FFFFL);
    assertThat(ring.ownerAt(highest.position + 1)).isEqualTo(lowest.member);
    assertThat(ring.ownerAt(0xFFFF_FFFFL)).isEqualTo(lowest.member);
    assertThat(ring.ownerAt(0)).isEqualTo(lowest.member);
  }

  @Test
  void collidingVirtualNodesGoToTheMemberWhoseNameSortsFirstWhateverTheOrderTheyArrived() {
    // Found by search: "m8961#0" and "m70373#0" both hash to 0xa4c17cc3.
    long shared = 0xa4c17cc3L;
    assertThat(HashRing.positionOf("m8961#0")).isEqualTo(shared);
    assertThat(HashRing.positionOf("m70373#0")).isEqualTo(shared);

    HashRing oneWay = HashRing.of(List.of("m8961"), 1).withMember("m70373");
    HashRing otherWay = HashRing.of(List.of("m70373"), 1).withMember("m8961");

    assertThat(oneWay.ownerAt(shared)).isEqualTo("m70373");
    assertThat(otherWay.ownerAt(shared)).isEqualTo("m70373");
    assertThat(oneWay.preferenceList("any", 2)).isEqualTo(List.of("m70373", "m8961"));
  }

  @Test
  void equalMembersGiveEqualAnswersWhateverTheOrderTheyArrived() {
    List<String> shuffled = new ArrayList<>(MEMBERS);
    Collections.shuffle(shuffled, new Random(7));
    HashRing fromList = HashRing.of(MEMBERS, V);
    HashRing fromShuffled = HashRing.of(shuffled, V);
    HashRing grownOneByOne = HashRing.of(List.of(), V);
    for (String member : shuffled) {
      grownOneByOne = grownOneByOne.withMember(member);
    }
    HashRing shrunkBack = HashRing.of(List.of("extra-1", "extra-2"), V).withMember("node-a")
        .withMember("node-b").withMember("node-c").withMember("node-d").withMember("node-e")
        .withoutMember("extra-2").withoutMember("extra-1");

    assertThat(List.of(fromShuffled, grownOneByOne, shrunkBack)).allSatisfy(ring -> {
      assertThat(ring).isEqualTo(fromList);
      for (int i = 0; i < 2_000; i++) {
        assertThat(ring.lookup("k" + i)).isEqualTo(fromList.lookup("k" + i));
        assertThat(ring.preferenceList("k" + i, 3)).isEqualTo(fromList.preferenceList("k" + i, 3));
      }
    });
  }

  @Test
  void addingOrRemovingAMemberLeavesTheOriginalRingAsItWas() {
    HashRing ring = HashRing.of(MEMBERS, V);
    List<String> before = lookups(ring);

    HashRing grown = ring.withMember("node-f");
    HashRing shrunk = ring.withoutMember("node-a");

    assertThat(ring.members()).containsExactlyElementsOf(MEMBERS);
    assertThat(lookups(ring)).isEqualTo(before);
    assertThat(grown.members()).contains("node-f");
    assertThat(shrunk.members()).doesNotContain("node-a");
  }

  @Test
  void addingAnExistingMemberOrRemovingAStrangerChangesNothing() {
    HashRing ring = HashRing.of(MEMBERS, V);

    assertThat(ring.withMember("node-a")).isSameAs(ring);
    assertThat(ring.withoutMember("node-z")).isSameAs(ring);
  }

  @Test
  void thePreferenceListIsTheFirstRDistinctMembersClockwise() {
    HashRing ring = HashRing.of(MEMBERS, V);
    List<Point> points = pointsByBruteForce(MEMBERS, V);

    for (int i = 0; i < 1_000; i++) {
      String group = "g" + i;
      assertThat(ring.preferenceList(group, 3)).as(group)
          .isEqualTo(firstDistinctClockwise(points, HashRing.positionOf(group), 3));
    }
  }

  @Test
  void thePreferenceListStartsWithTheOwner() {
    HashRing ring = HashRing.of(MEMBERS, V);

    for (int i = 0; i < 1_000; i++) {
      assertThat(ring.preferenceList("g" + i, 3)).hasSize(3).doesNotHaveDuplicates()
          .first().isEqualTo(ring.lookup("g" + i));
    }
  }

  @Test
  void thePreferenceListHoldsEveryMemberWhenThereAreFewerThanAskedFor() {
    HashRing ring = HashRing.of(List.of("node-a", "node-b"), V);

    assertThat(ring.preferenceList("g0", 3)).containsExactlyInAnyOrder("node-a", "node-b");
  }

  @Test
  void anEmptyRingOwnsNothing() {
    HashRing ring = HashRing.of(List.of(), V);

    assertThatThrownBy(() -> ring.lookup("k")).isInstanceOf(IllegalStateException.class);
    assertThat(ring.preferenceList("g0", 3)).isEmpty();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> HashRing.of(MEMBERS, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HashRing.of(List.of(""), V)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HashRing.of(MEMBERS, V).preferenceList("g0", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // An independent, slow model of the ring: every virtual node listed, the owner found by scanning.

  private record Point(long position, String member) {}

  private static List<Point> pointsByBruteForce(List<String> members, int virtualNodes) {
    List<Point> points = new ArrayList<>();
    for (String member : members) {
      for (int i = 0; i < virtualNodes; i++) {
        points.add(new Point(HashRing.positionOf(member + "#" + i), member));
      }
    }
    points.sort(Comparator.comparingLong(Point::position).thenComparing(Point::member));
    return points;
  }

  private static Point firstPointClockwise(List<Point> points, long position) {
    return points.stream().filter(p -> p.position >= position).findFirst().orElse(points.get(0));
  }

  private static List<String> firstDistinctClockwise(List<Point> points, long position, int count) {
    Set<String> found = new LinkedHashSet<>();
    int start = points.indexOf(firstPointClockwise(points, position));
    for (int i = 0; found.size() < count; i++) {
      found.add(points.get((start + i) % points.size()).member);
    }
    return List.copyOf(found);
  }

  private static List<String> lookups(HashRing ring) {
    List<String> owners = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      owners.add(ring.lookup("k" + i));
    }
    return owners;
  }
}
