package io.raftring.cluster;

import io.raftring.cluster.PlacementPlan.Action;
import io.raftring.cluster.PlacementPlan.Step;
import io.raftring.raft.Configuration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One tick of the placement driver, pure: which single-server changes to start now, so that every group's
 * configuration converges on the ring's preference list, and then leaders spread evenly.
 *
 * <p>A group moves at most one step at a time and only when its last change is committed; at most {@code slots}
 * groups start a step per tick. Nothing is asked of a node that is not there: no learner is added on, no leadership
 * handed to, an absent node (the group waits until it returns or is declared failed). A voter is removed only when
 * the ring has at least R nodes, so a cluster that shrank below R keeps the replicas it has. Leaders are balanced only
 * once every group is where the ring wants it: moving leaders while replicas move would be undone by the moves.
 */
public final class PlacementRound {

  private PlacementRound() {}

  /** A step to start in {@code group}. */
  public record Move(String group, Step step) {}

  /**
   * @param moves the steps to start now
   * @param groupsOffTarget groups whose configuration is not yet the ring's preference list
   * @param readyToLeave decommissioned nodes that hold no replica any more and may leave the cluster
   */
  public record Plan(List<Move> moves, int groupsOffTarget, Set<String> readyToLeave) {}

  /** What the driver knows at the start of a tick. */
  public record Inputs(
      List<String> groups,
      Function<String, GroupConfigurations.View> views,
      Function<String, List<String>> target,
      Set<String> placementNodes,
      Set<String> present,
      Set<String> decommissioned,
      Set<String> busy,
      int slots,
      int replicationFactor,
      boolean balanceLeaders) {}

  public static Plan plan(Inputs in) {
    List<Move> moves = new ArrayList<>();
    int offTarget = 0;
    boolean allKnown = true;
    boolean removalsAllowed = in.placementNodes().size() >= in.replicationFactor();
    for (String group : in.groups()) {
      GroupConfigurations.View view = in.views().apply(group);
      if (view == null) {
        allKnown = false;
        continue;
      }
      Step step = PlacementPlan.next(view.configuration(), view.leader(), in.target().apply(group));
      if (step.action() == Action.NONE) {
        continue;
      }
      offTarget++;
      if (moves.size() < in.slots() && !in.busy().contains(group) && !view.changeInProgress()
          && isPossible(step, view, in.present(), removalsAllowed)) {
        moves.add(new Move(group, step));
      }
    }
    if (offTarget == 0 && allKnown && in.busy().isEmpty() && in.balanceLeaders()) {
      balanceLeaders(in, moves);
    }
    Set<String> readyToLeave = new TreeSet<>();
    if (allKnown) {
      for (String node : in.decommissioned()) {
        if (in.groups().stream().noneMatch(g -> in.views().apply(g).isMember(node))) {
          readyToLeave.add(node);
        }
      }
    }
    return new Plan(List.copyOf(moves), offTarget, readyToLeave);
  }

  private static boolean isPossible(Step step, GroupConfigurations.View view, Set<String> present,
      boolean removalsAllowed) {
    return switch (step.action()) {
      case ADD_LEARNER, PROMOTE_LEARNER, TRANSFER_LEADERSHIP -> present.contains(step.node());
      case REMOVE_SERVER -> view.learners().contains(step.node()) || removalsAllowed;
      case NONE -> false;
    };
  }

  /** Hands leadership to a group's preferred voter that leads two or more groups fewer than its leader. */
  private static void balanceLeaders(Inputs in, List<Move> moves) {
    Map<String, Integer> leads = new HashMap<>();
    for (String group : in.groups()) {
      leads.merge(in.views().apply(group).leader(), 1, Integer::sum);
    }
    for (String group : in.groups()) {
      if (moves.size() >= in.slots()) {
        return;
      }
      GroupConfigurations.View view = in.views().apply(group);
      Configuration configuration = view.configuration();
      String better = PlacementPlan.betterLeader(configuration, view.leader(), in.target().apply(group), leads);
      if (better != null && in.present().contains(better) && !view.changeInProgress()) {
        moves.add(new Move(group, new Step(Action.TRANSFER_LEADERSHIP, better)));
        // Counted at once, so one tick does not send the same node's surplus to several places.
        leads.merge(view.leader(), -1, Integer::sum);
        leads.merge(better, 1, Integer::sum);
      }
    }
  }
}
