package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preference lists, sloppy quorum stand-ins, and W/R counts. */
class ReplicaPlanTest {

  private static final List<String> CLOCKWISE = List.of("n3", "n1", "n5", "n2", "n4");

  @Test
  void theHomeReplicasAreTheFirstNClockwiseAndTakeTheRequestWhenLive() {
    ReplicaPlan plan = ReplicaPlan.of(CLOCKWISE, 3, node -> true);
    assertThat(plan.home()).containsExactly("n3", "n1", "n5");
    assertThat(plan.liveHome()).containsExactly("n3", "n1", "n5");
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.reachable()).isEqualTo(3);
  }

  @Test
  void theNextLiveNodesClockwiseStandInForHomeReplicasThatAreDown() {
    Set<String> down = Set.of("n1", "n2");
    ReplicaPlan plan = ReplicaPlan.of(CLOCKWISE, 3, node -> !down.contains(node));
    assertThat(plan.liveHome()).containsExactly("n3", "n5");
    assertThat(plan.fallbacks()).containsExactly(new ReplicaPlan.Fallback("n4", "n1"));
    assertThat(plan.reachable()).isEqualTo(3);
    assertThat(plan.uncovered()).isEmpty();
  }

  @Test
  void withoutEnoughNodesAHomeReplicaIsLeftUncovered() {
    ReplicaPlan plan = ReplicaPlan.of(List.of("n1", "n2", "n3"), 3, node -> !node.equals("n2"));
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.uncovered()).containsExactly("n2");
    assertThat(plan.reachable()).isEqualTo(2);
  }

  @Test
  void aNodeRingGivesEveryKeyNDistinctNodesTheSameOnEveryNode() {
    NodeRing ring = NodeRing.of(List.of("n1", "n2", "n3", "n4"), 128, 3);
    NodeRing again = NodeRing.of(List.of("n4", "n3", "n2", "n1"), 128, 3);
    for (int i = 0; i < 100; i++) {
      List<String> list = ring.preferenceList("key-" + i);
      assertThat(list).hasSize(3).doesNotHaveDuplicates();
      assertThat(again.preferenceList("key-" + i)).isEqualTo(list);
      assertThat(ring.plan("key-" + i, n -> true).home()).isEqualTo(list);
    }
  }

  @Test
  void replicaCountsAreNumbersQuorumOrAll() {
    assertThat(ReplicaCount.parse("quorum").resolve(3)).isEqualTo(2);
    assertThat(ReplicaCount.parse("QUORUM").resolve(5)).isEqualTo(3);
    assertThat(ReplicaCount.parse("all").resolve(3)).isEqualTo(3);
    assertThat(ReplicaCount.parse("1").resolve(3)).isEqualTo(1);
    assertThatThrownBy(() -> ReplicaCount.parse("4").resolve(3)).hasMessageContaining("keys have 3");
    assertThatThrownBy(() -> ReplicaCount.parse("0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaCount.parse("most")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTallyReachesItsCountOnceAndGivesUpWhenTooManyFailed() {
    Tally<String> tally = new Tally<>(2, Set.of("a", "b", "c"));
    assertThat(tally.succeed("a", "x")).isFalse();
    assertThat(tally.succeed("a", "again")).isFalse();
    assertThat(tally.succeed("z", "stranger")).isFalse();
    assertThat(tally.succeed("b", "y")).isTrue();
    assertThat(tally.reached()).isTrue();
    assertThat(tally.fail("c")).isFalse();
    assertThat(tally.complete()).isTrue();

    Tally<String> failing = new Tally<>(2, Set.of("a", "b", "c"));
    assertThat(failing.fail("a")).isFalse();
    assertThat(failing.fail("b")).isTrue();
    assertThat(failing.impossible()).isTrue();
    assertThat(failing.fail("c")).isFalse();
  }
}
