package io.raftring.ring;

import static io.raftring.ring.RingMeasurements.memberNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupPlacementTest {

  private static final List<String> NODES = memberNames("node-", 10);
  private static final GroupPlacement PLACEMENT = GroupPlacement.of(1024, 3, 128, NODES);

  @Test
  void groupsAreNamedG0Upward() {
    assertThat(GroupPlacement.of(4, 3, 8, NODES).groups()).containsExactly("g0", "g1", "g2", "g3");
  }

  @Test
  void everyKeyBelongsToOneOfTheGroups() {
    Set<String> groups = Set.copyOf(PLACEMENT.groups());
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      used.add(PLACEMENT.groupOf("key-" + i));
    }
    assertThat(groups).containsAll(used);
    assertThat(used).hasSizeGreaterThan(1000); // 20,000 keys reach nearly all 1024 groups
  }

  @Test
  void aKeysGroupDoesNotDependOnTheNodes() {
    GroupPlacement otherCluster = GroupPlacement.of(1024, 3, 128, List.of("elsewhere"));
    for (int i = 0; i < 5_000; i++) {
      assertThat(otherCluster.groupOf("key-" + i)).isEqualTo(PLACEMENT.groupOf("key-" + i));
    }
  }

  @Test
  void eachGroupIsReplicatedOnRDistinctNodes() {
    for (String group : PLACEMENT.groups()) {
      assertThat(PLACEMENT.replicasOf(group)).hasSize(3).doesNotHaveDuplicates().isSubsetOf(NODES);
    }
  }

  @Test
  void whileTheClusterIsSmallerThanRAGroupLivesOnEveryNode() {
    GroupPlacement small = GroupPlacement.of(16, 3, 128, List.of("node-0", "node-1"));

    assertThat(small.replicasOf("g5")).containsExactlyInAnyOrder("node-0", "node-1");
  }

  @Test
  void anUnknownGroupIsRefused() {
    assertThatThrownBy(() -> PLACEMENT.replicasOf("g1024")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theOrderNodesAreListedInDoesNotMatter() {
    List<String> reversed = new ArrayList<>(NODES);
    java.util.Collections.reverse(reversed);
    GroupPlacement fromReversed = GroupPlacement.of(1024, 3, 128, reversed);

    assertThat(fromReversed).isEqualTo(PLACEMENT);
    for (String group : PLACEMENT.groups()) {
      assertThat(fromReversed.replicasOf(group)).isEqualTo(PLACEMENT.replicasOf(group));
    }
  }

  /** The placement driver changes membership one server at a time; a joining node must never need more per group. */
  @Test
  void aJoiningNodeTakesAtMostOneReplicaSlotOfEachGroup() {
    GroupPlacement grown = PLACEMENT.withNode("node-10");
    int changedGroups = 0;

    for (String group : PLACEMENT.groups()) {
      Set<String> before = Set.copyOf(PLACEMENT.replicasOf(group));
      Set<String> after = Set.copyOf(grown.replicasOf(group));
      Set<String> joined = difference(after, before);
      Set<String> left = difference(before, after);

      assertThat(joined).as(group).isSubsetOf("node-10");
      assertThat(left).as(group).hasSameSizeAs(joined);
      if (!joined.isEmpty()) {
        changedGroups++;
      }
    }
    // About R/(N+1) = 3/11 of the groups gain the new node; measured 333 of 1024 (0.325) for this node name, and
    // 0.265 on average over 20 other name sets (docs/ring.md).
    assertThat(changedGroups).isEqualTo(333);
  }

  @Test
  void aLeavingNodeIsReplacedByOneOtherNodeOnlyInTheGroupsItServed() {
    GroupPlacement shrunk = PLACEMENT.withoutNode("node-3");

    for (String group : PLACEMENT.groups()) {
      Set<String> before = Set.copyOf(PLACEMENT.replicasOf(group));
      Set<String> after = Set.copyOf(shrunk.replicasOf(group));
      if (before.contains("node-3")) {
        assertThat(difference(before, after)).as(group).containsExactly("node-3");
        assertThat(difference(after, before)).as(group).hasSize(1);
      } else {
        assertThat(after).as(group).isEqualTo(before);
      }
    }
  }

  @Test
  void replicasAreSpreadEvenlyOverTheNodes() {
    List<String> replicas = new ArrayList<>();
    for (String group : PLACEMENT.groups()) {
      replicas.addAll(PLACEMENT.replicasOf(group));
    }

    // Measured 1.084: the busiest node hosts 8% more replicas than the mean of 307.2.
    assertThat(RingMeasurements.loadSpread(replicas, NODES).maxOverMean()).isLessThan(1.09);
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new HashSet<>(a);
    result.removeAll(b);
    return result;
  }
}
