package io.raftring.cluster;

import io.raftring.metrics.Counter;
import io.raftring.metrics.MetricsRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The placement driver's metrics on the node it runs on: groups not yet on their preference list, steps in flight,
 * and steps finished by action and outcome. On other nodes the gauges read -1 (no driver here) and the counters
 * stand still; after the singleton moves, the new node counts from zero.
 */
public final class PlacementMetrics {

  private final AtomicLong groupsOffTarget = new AtomicLong(-1);
  private final AtomicLong stepsInFlight = new AtomicLong(-1);
  private final Counter steps;

  public PlacementMetrics(MetricsRegistry registry) {
    registry.gauge("raftring_placement_groups_off_target",
        "Groups whose configuration is not yet the ring's preference list, as the placement driver on this node sees"
            + " them (-1: the driver runs elsewhere).", groupsOffTarget::get);
    registry.gauge("raftring_placement_steps_in_flight",
        "Membership steps the placement driver on this node has started and not finished (-1: it runs elsewhere).",
        stepsInFlight::get);
    steps = registry.counter("raftring_placement_steps_total",
        "Membership steps the placement driver on this node finished, by action and outcome (done or failed).",
        "action", "outcome");
  }

  void driverRunning(int offTarget, int inFlight) {
    groupsOffTarget.set(offTarget);
    stepsInFlight.set(inFlight);
  }

  void driverStopped() {
    groupsOffTarget.set(-1);
    stepsInFlight.set(-1);
  }

  void stepFinished(PlacementPlan.Action action, boolean done) {
    steps.labels(action.name(), done ? "done" : "failed").inc();
  }
}
