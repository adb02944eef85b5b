package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.cluster.PlacementPlan.Action;
import io.raftring.cluster.PlacementPlan.Step;
import io.raftring.cluster.PlacementRound.Move;
import io.raftring.ring.GroupPlacement;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** One tick of the placement driver: which steps start, and which wait. */
class PlacementRoundTest {

  private final Map<String, GroupConfigurations.View> views = new HashMap<>();

  private static GroupConfigurations.View view(String leader, Set<String> voters, Set<String> learners) {
    return new GroupConfigurations.View(leader, 1, 1, voters, learners, false, 0);
  }

  private PlacementRound.Plan plan(List<String> groups, Map<String, List<String>> targets, Set<String> placement,
      Set<String> present, Set<String> decommissioned, Set<String> busy, int slots, boolean balance) {
    return PlacementRound.plan(new PlacementRound.Inputs(groups, views::get, targets::get, placement, present,
        decommissioned, busy, slots, 3, balance));
  }

  @Test
  void atMostSlotsGroupsStartAStepAndBusyGroupsWait() {
    List<String> groups = List.of("g0", "g1", "g2", "g3");
    Map<String, List<String>> targets = new HashMap<>();
    for (String g : groups) {
      views.put(g, view("n1", Set.of("n1", "n2", "n3"), Set.of()));
      targets.put(g, List.of("n1", "n2", "n4"));
    }
    Set<String> nodes = Set.of("n1", "n2", "n3", "n4");
    PlacementRound.Plan plan = plan(groups, targets, nodes, nodes, Set.of(), Set.of("g0"), 2, true);
    assertThat(plan.moves()).containsExactly(
        new Move("g1", new Step(Action.ADD_LEARNER, "n4")), new Move("g2", new Step(Action.ADD_LEARNER, "n4")));
    assertThat(plan.groupsOffTarget()).isEqualTo(4);
  }

  @Test
  void nothingIsAskedOfAnAbsentNode() {
    views.put("g0", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    Set<String> nodes = Set.of("n1", "n2", "n3", "n4");
    PlacementRound.Plan plan = plan(List.of("g0"), Map.of("g0", List.of("n1", "n2", "n4")), nodes,
        Set.of("n1", "n2", "n3"), Set.of(), Set.of(), 4, true);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.groupsOffTarget()).isEqualTo(1);
  }

  @Test
  void aGroupWithAnUncommittedChangeWaits() {
    views.put("g0", new GroupConfigurations.View("n1", 1, 5, Set.of("n1", "n2", "n3"), Set.of("n4"), true, 0));
    Set<String> nodes = Set.of("n1", "n2", "n3", "n4");
    assertThat(plan(List.of("g0"), Map.of("g0", List.of("n1", "n2", "n4")), nodes, nodes, Set.of(), Set.of(), 4,
        true).moves()).isEmpty();
  }

  @Test
  void votersAreNotRemovedWhileTheRingHasFewerThanRNodes() {
    views.put("g0", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    Set<String> two = Set.of("n1", "n2");
    assertThat(plan(List.of("g0"), Map.of("g0", List.of("n1", "n2")), two, two, Set.of("n3"), Set.of(), 4, true)
        .moves()).isEmpty();
  }

  @Test
  void aDecommissionedNodeMayLeaveOnceNoGroupHoldsIt() {
    views.put("g0", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    views.put("g1", view("n1", Set.of("n1", "n2", "n4"), Set.of()));
    Set<String> nodes = Set.of("n1", "n2", "n3");
    Map<String, List<String>> targets = Map.of("g0", List.of("n1", "n2", "n3"), "g1", List.of("n1", "n2", "n3"));
    Set<String> present = Set.of("n1", "n2", "n3", "n4");
    PlacementRound.Plan holding = plan(List.of("g0", "g1"), targets, nodes, present, Set.of("n4"), Set.of(), 4, true);
    assertThat(holding.readyToLeave()).isEmpty();
    assertThat(holding.moves()).containsExactly(new Move("g1", new Step(Action.ADD_LEARNER, "n3")));

    views.put("g1", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    assertThat(plan(List.of("g0", "g1"), targets, nodes, present, Set.of("n4"), Set.of(), 4, true).readyToLeave())
        .containsExactly("n4");
  }

  /**
   * Leader balancing, replayed tick after tick on 64 groups whose leaders all start on one node: each node ends up
   * leading at most its share, ceil(G / N), and no tick moves more than the slots allow.
   */
  @Test
  void leadershipSpreadsToAtMostEachNodesShareOverRepeatedTicks() {
    List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5");
    GroupPlacement ring = GroupPlacement.of(64, 3, 128, nodes);
    Map<String, List<String>> targets = new HashMap<>();
    for (String g : ring.groups()) {
      List<String> replicas = ring.replicasOf(g);
      targets.put(g, replicas);
      views.put(g, view(replicas.get(replicas.size() - 1), Set.copyOf(replicas), Set.of()));
    }
    Set<String> all = new TreeSet<>(nodes);
    for (int tick = 0; tick < 100; tick++) {
      PlacementRound.Plan plan = plan(ring.groups(), targets, all, all, Set.of(), Set.of(), 4, true);
      assertThat(plan.moves()).hasSizeLessThanOrEqualTo(4);
      if (plan.moves().isEmpty()) {
        break;
      }
      for (Move move : plan.moves()) {
        assertThat(move.step().action()).isEqualTo(Action.TRANSFER_LEADERSHIP);
        GroupConfigurations.View v = views.get(move.group());
        views.put(move.group(), view(move.step().node(), v.voters(), v.learners()));
      }
    }
    Map<String, Integer> leads = new HashMap<>();
    views.values().forEach(v -> leads.merge(v.leader(), 1, Integer::sum));
    System.out.println("leaders per node after balancing 64 groups on 5 nodes: " + new java.util.TreeMap<>(leads));
    assertThat(leads.values()).allMatch(n -> n <= (64 + 4) / 5);
    assertThat(Collections.max(leads.values()) - Collections.min(leads.values())).isLessThanOrEqualTo(1);
  }

  @Test
  void leadersAreNotBalancedWhileReplicasStillMove() {
    views.put("g0", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    views.put("g1", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    views.put("g2", view("n1", Set.of("n1", "n2", "n3"), Set.of()));
    Set<String> nodes = Set.of("n1", "n2", "n3");
    Map<String, List<String>> targets = Map.of("g0", List.of("n2", "n1", "n3"), "g1", List.of("n3", "n1", "n2"),
        "g2", List.of("n1", "n2", "n3"));
    assertThat(plan(List.of("g0", "g1", "g2"), targets, nodes, nodes, Set.of(), Set.of("g2"), 4, true).moves())
        .isEmpty();
    assertThat(plan(List.of("g0", "g1", "g2"), targets, nodes, nodes, Set.of(), Set.of(), 4, true).moves())
        .containsExactly(new Move("g0", new Step(Action.TRANSFER_LEADERSHIP, "n2")),
            new Move("g1", new Step(Action.TRANSFER_LEADERSHIP, "n3")));
  }
}
