package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.cluster.PlacementPlan.Action;
import io.raftring.cluster.PlacementPlan.Step;
import io.raftring.raft.Configuration;
import io.raftring.ring.GroupPlacement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The placement driver's rule, and how many replicas the ring moves as nodes come and go. */
class PlacementPlanTest {

  private static final int G = 64;
  private static final int R = 3;

  @Test
  void aMovedReplicaIsAddedAsALearnerPromotedThenTheOldOneRemovedWithLeadershipMovedOffItFirst() {
    Configuration c = Configuration.ofVoters(Set.of("n1", "n2", "n3"));
    List<String> target = List.of("n4", "n1", "n2");
    assertThat(PlacementPlan.next(c, "n3", target)).isEqualTo(new Step(Action.ADD_LEARNER, "n4"));
    c = c.withLearner("n4");
    assertThat(PlacementPlan.next(c, "n3", target)).isEqualTo(new Step(Action.PROMOTE_LEARNER, "n4"));
    c = c.promoted("n4");
    assertThat(PlacementPlan.next(c, "n3", target)).isEqualTo(new Step(Action.TRANSFER_LEADERSHIP, "n4"));
    assertThat(PlacementPlan.next(c, "n4", target)).isEqualTo(new Step(Action.REMOVE_SERVER, "n3"));
    c = c.without("n3");
    assertThat(PlacementPlan.next(c, "n4", target)).isEqualTo(Step.NONE);
  }

  @Test
  void aStrayLearnerIsRemovedFirst() {
    Configuration c = new Configuration(Set.of("n1", "n2", "n3"), Set.of("n9"));
    assertThat(PlacementPlan.next(c, "n1", List.of("n1", "n2", "n3")))
        .isEqualTo(new Step(Action.REMOVE_SERVER, "n9"));
  }

  @Test
  void leaderBalancingProposesTheGroupsPreferredVoterWhenTheLeaderLeadsTooMany() {
    Configuration c = Configuration.ofVoters(Set.of("n1", "n2", "n3"));
    Map<String, Integer> leads = Map.of("n1", 30, "n2", 2, "n3", 32);
    assertThat(PlacementPlan.betterLeader(c, "n1", List.of("n1", "n2", "n3"), leads)).isEqualTo("n2");
    assertThat(PlacementPlan.betterLeader(c, "n2", List.of("n1", "n2", "n3"), leads)).isNull();
  }

  @Test
  void leadershipMovesOnlyAcrossAGapOfTwoOrMoreSoFourGroupsOnThreeNodesEndTwoOneOne() {
    Configuration c = Configuration.ofVoters(Set.of("n1", "n2", "n3"));
    List<String> preference = List.of("n2", "n3", "n1");
    assertThat(PlacementPlan.betterLeader(c, "n2", preference, Map.of("n2", 2, "n3", 2)))
        .as("n1 leads none: within fair share ceil(4 / 3) = 2, yet two fewer").isEqualTo("n1");
    assertThat(PlacementPlan.betterLeader(c, "n2", preference, Map.of("n1", 1, "n2", 2, "n3", 1)))
        .as("a gap of one stays: moving would only swap it").isNull();
    assertThat(PlacementPlan.betterLeader(Configuration.ofVoters(Set.of("n2", "n3", "n4")), "n2", preference,
        Map.of("n2", 2, "n3", 2))).as("n1 does not vote in this group").isNull();
  }

  /**
   * Adding a node moves only the groups whose preference list now includes it: replays the driver's steps for every
   * group for N = 3 -> 4 -> 5 and counts the replicas added, against the ideal R*G/(N+1).
   */
  @Test
  void growingTheClusterMovesAboutTheIdealNumberOfReplicas() {
    GroupPlacement placement = GroupPlacement.of(G, R, GroupPlacement.DEFAULT_VIRTUAL_NODES_PER_MEMBER,
        List.of("n1", "n2", "n3"));
    Map<String, Configuration> configs = new HashMap<>();
    for (String g : placement.groups()) {
      configs.put(g, Configuration.ofVoters(new HashSet<>(placement.replicasOf(g))));
    }
    for (String added : List.of("n4", "n5")) {
      int before = placement.nodes().size();
      placement = placement.withNode(added);
      int moved = 0;
      int groupsMoved = 0;
      for (String g : placement.groups()) {
        List<String> target = placement.replicasOf(g);
        Configuration c = configs.get(g);
        String leader = c.voters().iterator().next();
        int adds = 0;
        for (Step step = PlacementPlan.next(c, leader, target); step.action() != Action.NONE;
            step = PlacementPlan.next(c, leader, target)) {
          switch (step.action()) {
            case ADD_LEARNER -> {
              c = c.withLearner(step.node());
              adds++;
            }
            case PROMOTE_LEARNER -> c = c.promoted(step.node());
            case TRANSFER_LEADERSHIP -> leader = step.node();
            case REMOVE_SERVER -> c = c.without(step.node());
            default -> throw new IllegalStateException();
          }
          assertThat(c.voters().size()).as("never fewer than R voters").isGreaterThanOrEqualTo(R);
        }
        assertThat(c.voters()).containsExactlyInAnyOrderElementsOf(target);
        assertThat(adds).as("a single node joining changes a group by at most one replica").isLessThanOrEqualTo(1);
        configs.put(g, c);
        moved += adds;
        groupsMoved += adds > 0 ? 1 : 0;
      }
      double ideal = (double) R * G / (before + 1);
      System.out.printf("N = %d -> %d, G = %d, R = %d: %d replicas moved (%d groups), ideal R*G/(N+1) = %.1f%n",
          before, before + 1, G, R, moved, groupsMoved, ideal);
      assertThat(moved).as("within a factor of two of the ideal").isBetween((int) (ideal / 2), (int) (ideal * 2));
    }
  }
}
