package io.raftring.cluster;

import io.raftring.raft.Configuration;
import java.util.List;

/**
 * The next single-server change that moves a group's Raft configuration towards the ring's preference list (the
 * placement driver's rule, pure so it can be tested alone). Changes come in an order that never leaves the group with
 * fewer voters than it had: first a stray learner goes, then a missing node joins as a learner, then a caught-up
 * learner is promoted, and only then does a voter outside the preference list go, after the leadership moved off it
 * if it leads.
 */
public final class PlacementPlan {

  private PlacementPlan() {}

  /** What to ask the group's leader next. */
  public enum Action {
    NONE,
    ADD_LEARNER,
    PROMOTE_LEARNER,
    TRANSFER_LEADERSHIP,
    REMOVE_SERVER
  }

  /** One step: {@code action} concerning {@code node} (the transfer's target for TRANSFER_LEADERSHIP). */
  public record Step(Action action, String node) {
    public static final Step NONE = new Step(Action.NONE, null);

    @Override
    public String toString() {
      return action == Action.NONE ? "nothing to do" : action + " " + node;
    }
  }

  /** The next step for a group whose configuration is {@code current}, led by {@code leader}, to reach {@code target}. */
  public static Step next(Configuration current, String leader, List<String> target) {
    for (String learner : current.learners()) {
      if (!target.contains(learner)) {
        return new Step(Action.REMOVE_SERVER, learner);
      }
    }
    for (String node : target) {
      if (!current.isMember(node)) {
        return new Step(Action.ADD_LEARNER, node);
      }
    }
    for (String node : target) {
      if (current.isLearner(node)) {
        return new Step(Action.PROMOTE_LEARNER, node);
      }
    }
    for (String voter : current.voters()) {
      if (!target.contains(voter)) {
        if (voter.equals(leader)) {
          return new Step(Action.TRANSFER_LEADERSHIP, target.get(0));
        }
        return new Step(Action.REMOVE_SERVER, voter);
      }
    }
    return Step.NONE;
  }

  /**
   * Leader balancing: the voter of this group that should lead it instead of {@code leader}, or null. It proposes the
   * first voter of the group's preference list that leads at least two groups fewer than {@code leader}: each move
   * narrows a gap without reversing it, so the counts settle within one of each other wherever the groups' voters
   * allow it, and never swing back (a fair-share cap alone, {@code ceil(groups / nodes)}, would leave four groups on
   * three nodes led 2, 2 and 0).
   */
  public static String betterLeader(
      Configuration current, String leader, List<String> target, java.util.Map<String, Integer> leadsPerNode) {
    if (leader == null) {
      return null;
    }
    int leads = leadsPerNode.getOrDefault(leader, 0);
    for (String node : target) {
      if (!node.equals(leader) && current.isVoter(node) && leadsPerNode.getOrDefault(node, 0) <= leads - 2) {
        return node;
      }
    }
    return null;
  }
}
