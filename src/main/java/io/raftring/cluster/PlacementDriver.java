package io.raftring.cluster;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.PlacementPlan.Action;
import io.raftring.cluster.PlacementPlan.Step;
import io.raftring.ring.GroupPlacement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The placement driver, a cluster singleton: on every tick it compares each group's configuration (as its leader last
 * reported it to this node) with the group's preference list on the ring of placement nodes, and starts the next
 * single-server change in up to {@code max-concurrent-moves} groups ({@link PlacementRound} decides which). The ring
 * is rebuilt from the nodes that are up, known and neither decommissioned nor failed ({@link NodePresence}).
 * Decommissioned nodes that no longer hold a replica are asked to leave the cluster.
 *
 * <p>Every change goes through the group's leader ({@link GroupMembership}), which refuses anything unsafe, so a
 * driver acting on a stale view (or two drivers during a singleton hand-over) can waste a step but never break a
 * group. A group that finished a step is left alone until a newer leader report arrived, so the next step is planned
 * from the configuration the last one produced.
 */
public final class PlacementDriver extends AbstractBehavior<PlacementDriver.Command> {

  public interface Command extends CborSerializable {}

  /** Asks the driver to move every replica off {@code node} and then let it leave the cluster. */
  public record Decommission(String node, ActorRef<DecommissionAnswer> replyTo) implements Command {}

  /** Cancels a decommission: the ring places replicas on {@code node} again. */
  public record Recommission(String node, ActorRef<DecommissionAnswer> replyTo) implements Command {}

  /**
   * The answer to a (re)commission request: {@code error} is null when accepted, else an {@link ErrorCode} name
   * explained by {@code message}. {@code replicasToMove} counts the replicas the node holds now.
   */
  public record DecommissionAnswer(
      String node, String error, String message, List<String> decommissioned, int replicasToMove)
      implements CborSerializable {}

  /** Asks for the driver's view of placement. */
  public record GetPlacement(ActorRef<PlacementStatus> replyTo) implements Command {
    @JsonCreator
    public GetPlacement(@JsonProperty("replyTo") ActorRef<PlacementStatus> replyTo) {
      this.replyTo = replyTo;
    }
  }

  /**
   * The driver's view: the ring's nodes, decommissioned and absent nodes (seconds absent), how many groups are not
   * yet on their preference list, the steps in flight, steps done by action since this driver started, leaders per
   * node, and the latest failed steps.
   */
  public record PlacementStatus(
      String driverNode,
      List<String> placementNodes,
      List<String> decommissioned,
      Map<String, Long> absentSeconds,
      int groupsOffTarget,
      Map<String, String> moving,
      Map<String, Integer> stepsDone,
      Map<String, Integer> leadersPerNode,
      List<String> recentFailures)
      implements CborSerializable {}

  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The decommissioned nodes as this node's replica of the set has them; null when the read failed. */
  private record DecommissionsRead(Set<String> nodes) implements Command, NoSerializationVerificationNeeded {}

  private record StepFinished(String group, Step step, Throwable error)
      implements Command, NoSerializationVerificationNeeded {}

  private record DecommissionWritten(String node, boolean add, Set<String> nodes, Throwable error,
      ActorRef<DecommissionAnswer> replyTo) implements Command, NoSerializationVerificationNeeded {}

  private static final int RECENT_FAILURES = 10;

  /** What the driver works with, from the node it runs on. */
  public record Dependencies(
      String selfNode,
      List<String> groups,
      int replicationFactor,
      int virtualNodes,
      Set<String> initialNodes,
      String nodeRolePrefix,
      GroupConfigurations configurations,
      GroupMembership membership,
      Decommissions decommissions,
      PlacementMetrics metrics,
      LongSupplier nanoClock) {}

  public static Behavior<Command> create(PlacementSettings settings, Dependencies deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PlacementDriver(ctx, timers, settings, deps)));
  }

  private final PlacementSettings settings;
  private final Dependencies deps;
  private final Cluster cluster;
  private final NodePresence presence;
  private final Set<String> busy = new HashSet<>();
  private final Map<String, Step> moving = new TreeMap<>();
  private final Map<String, Long> finishedAtNanos = new HashMap<>();
  private final Map<Action, Integer> stepsDone = new EnumMap<>(Action.class);
  private final Deque<String> recentFailures = new ArrayDeque<>();
  /** Incarnations asked to leave (a decommissioned node restarted later is asked again). */
  private final Set<akka.cluster.UniqueAddress> leaving = new HashSet<>();
  private Set<String> decommissioned = Set.of();
  private boolean decommissionsKnown;
  private int groupsOffTarget = -1;
  private Set<String> ringNodes = Set.of();
  private GroupPlacement ring;

  private PlacementDriver(ActorContext<Command> context, TimerScheduler<Command> timers, PlacementSettings settings,
      Dependencies deps) {
    super(context);
    this.settings = settings;
    this.deps = deps;
    this.cluster = Cluster.get(context.getSystem());
    this.presence = new NodePresence(settings.replaceAfter());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
    readDecommissions();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(DecommissionsRead.class, m -> {
          if (m.nodes() != null) {
            decommissioned = m.nodes();
            decommissionsKnown = true;
          }
          return this;
        })
        .onMessage(StepFinished.class, this::onStepFinished)
        .onMessage(Decommission.class, m -> onCommission(m.node(), true, m.replyTo()))
        .onMessage(Recommission.class, m -> onCommission(m.node(), false, m.replyTo()))
        .onMessage(DecommissionWritten.class, this::onDecommissionWritten)
        .onMessage(GetPlacement.class, this::onGetPlacement)
        .onSignal(akka.actor.typed.PostStop.class, stopped -> {
          deps.metrics().driverStopped();
          return this;
        })
        .build();
  }

  private Behavior<Command> onTick() {
    readDecommissions();
    long now = deps.nanoClock().getAsLong();
    Set<String> named = new TreeSet<>(deps.initialNodes());
    named.addAll(deps.configurations().nodesInConfigurations());
    Set<String> up = upNodes();
    presence.observe(up, named, now);
    if (!decommissionsKnown) {
      return this;
    }
    Set<String> placementNodes = presence.placementNodes(decommissioned, now);
    if (placementNodes.isEmpty()) {
      return this;
    }
    if (!placementNodes.equals(ringNodes)) {
      ringNodes = placementNodes;
      ring = GroupPlacement.of(deps.groups().size(), deps.replicationFactor(), deps.virtualNodes(), placementNodes);
      getContext().getLog().info("placement ring is now {}", placementNodes);
    }
    PlacementRound.Plan plan = PlacementRound.plan(new PlacementRound.Inputs(
        deps.groups(), this::settledView, ring::replicasOf, placementNodes, up,
        decommissioned, busy, settings.maxConcurrentMoves() - busy.size(), deps.replicationFactor(),
        settings.balanceLeaders()));
    groupsOffTarget = plan.groupsOffTarget();
    plan.moves().forEach(this::start);
    deps.metrics().driverRunning(groupsOffTarget, busy.size());
    plan.readyToLeave().forEach(this::letLeave);
    return this;
  }

  /** The group's last leader report, unless the driver changed the group since that report was made. */
  private GroupConfigurations.View settledView(String group) {
    GroupConfigurations.View view = deps.configurations().view(group);
    Long finished = finishedAtNanos.get(group);
    return view == null || (finished != null && view.seenAtNanos() <= finished) ? null : view;
  }

  private void start(PlacementRound.Move move) {
    String group = move.group();
    Step step = move.step();
    busy.add(group);
    moving.put(group, step);
    getContext().getLog().info("placement: {} in {}", step, group);
    GroupMembership membership = deps.membership();
    Duration timeout = settings.stepTimeout();
    CompletionStage<GroupMembership.Outcome> done = switch (step.action()) {
      case ADD_LEARNER -> membership.addLearner(group, step.node(), timeout);
      case PROMOTE_LEARNER -> membership.promote(group, step.node(), timeout);
      case TRANSFER_LEADERSHIP -> membership.transferLeadership(group, step.node(), timeout);
      case REMOVE_SERVER -> membership.remove(group, step.node(), timeout);
      case NONE -> throw new IllegalArgumentException("nothing to start");
    };
    getContext().pipeToSelf(done, (outcome, error) -> new StepFinished(group, step, error));
  }

  private Behavior<Command> onStepFinished(StepFinished m) {
    busy.remove(m.group());
    moving.remove(m.group());
    finishedAtNanos.put(m.group(), deps.nanoClock().getAsLong());
    deps.metrics().stepFinished(m.step().action(), m.error() == null);
    if (m.error() == null) {
      stepsDone.merge(m.step().action(), 1, Integer::sum);
    } else {
      RaftRingException e = RaftRingException.find(m.error());
      String failure = m.group() + ": " + m.step() + " failed: " + (e != null ? e.getMessage() : m.error());
      getContext().getLog().info("placement: {} (planned again on a later tick)", failure);
      recentFailures.addFirst(failure);
      while (recentFailures.size() > RECENT_FAILURES) {
        recentFailures.removeLast();
      }
    }
    return this;
  }

  /** A decommissioned node holding no replica leaves the cluster; its process then shuts down. */
  private void letLeave(String node) {
    Member member = memberOf(node);
    if (member != null && member.status() == MemberStatus.up() && leaving.add(member.uniqueAddress())) {
      getContext().getLog().info("placement: {} holds no replica any more; asking it to leave the cluster", node);
      cluster.manager().tell(Leave.create(member.address()));
    }
  }

  private Behavior<Command> onCommission(String node, boolean decommission, ActorRef<DecommissionAnswer> replyTo) {
    Set<String> known = new TreeSet<>(presence.known());
    known.addAll(deps.initialNodes());
    known.addAll(upNodes());
    if (!known.contains(node)) {
      replyTo.tell(refusal(node, ErrorCode.BAD_REQUEST, "unknown node " + node + "; the cluster's nodes are " + known));
      return this;
    }
    if (decommission && !decommissioned.contains(node)) {
      Set<String> remaining = presence.placementNodes(decommissioned, deps.nanoClock().getAsLong());
      remaining.remove(node);
      if (remaining.size() < deps.replicationFactor()) {
        replyTo.tell(refusal(node, ErrorCode.CONFLICT, "decommissioning " + node + " would leave " + remaining
            + " to hold " + deps.replicationFactor() + " replicas of every group; add a node first"));
        return this;
      }
    }
    Duration timeout = settings.stepTimeout();
    CompletionStage<Set<String>> written = decommission
        ? deps.decommissions().add(node, timeout)
        : deps.decommissions().remove(node, timeout);
    getContext().pipeToSelf(written, (nodes, error) -> new DecommissionWritten(node, decommission, nodes, error,
        replyTo));
    return this;
  }

  private Behavior<Command> onDecommissionWritten(DecommissionWritten m) {
    if (m.error() != null) {
      RaftRingException e = RaftRingException.find(m.error());
      m.replyTo().tell(refusal(m.node(), e != null ? e.code() : ErrorCode.NO_QUORUM,
          e != null ? e.getMessage() : String.valueOf(m.error())));
      return this;
    }
    decommissioned = m.nodes();
    decommissionsKnown = true;
    int replicas = 0;
    for (String group : deps.groups()) {
      if (deps.configurations().hosts(group, m.node())) {
        replicas++;
      }
    }
    getContext().getLog().info("placement: decommissioned nodes are now {}", decommissioned);
    m.replyTo().tell(new DecommissionAnswer(m.node(), null, null, List.copyOf(new TreeSet<>(decommissioned)),
        replicas));
    return this;
  }

  private DecommissionAnswer refusal(String node, ErrorCode code, String message) {
    return new DecommissionAnswer(node, code.name(), message, List.copyOf(new TreeSet<>(decommissioned)), 0);
  }

  private Behavior<Command> onGetPlacement(GetPlacement m) {
    long now = deps.nanoClock().getAsLong();
    Map<String, Long> absent = new TreeMap<>();
    presence.absences(now).forEach((node, d) -> absent.put(node, d.toSeconds()));
    Map<String, String> inFlight = new LinkedHashMap<>();
    moving.forEach((group, step) -> inFlight.put(group, step.toString()));
    Map<String, Integer> done = new TreeMap<>();
    stepsDone.forEach((action, n) -> done.put(action.name(), n));
    Map<String, Integer> leaders = new TreeMap<>();
    for (String group : deps.groups()) {
      GroupConfigurations.View view = deps.configurations().view(group);
      if (view != null) {
        leaders.merge(view.leader(), 1, Integer::sum);
      }
    }
    m.replyTo().tell(new PlacementStatus(deps.selfNode(), List.copyOf(ringNodes), List.copyOf(new TreeSet<>(
        decommissioned)), absent, groupsOffTarget, inFlight, done, leaders, List.copyOf(recentFailures)));
    return this;
  }

  private void readDecommissions() {
    getContext().pipeToSelf(deps.decommissions().read(settings.interval()),
        (nodes, error) -> new DecommissionsRead(error == null ? nodes : null));
  }

  /** Nodes that are up (or weakly up) and reachable from here, by their node role. */
  private Set<String> upNodes() {
    Set<String> up = new TreeSet<>();
    Set<Member> unreachable = cluster.state().getUnreachable();
    for (Member member : cluster.state().getMembers()) {
      boolean isUp = member.status() == MemberStatus.up() || member.status() == MemberStatus.weaklyUp();
      String node = nodeOf(member);
      if (isUp && !unreachable.contains(member) && node != null) {
        up.add(node);
      }
    }
    return up;
  }

  private Member memberOf(String node) {
    for (Member member : cluster.state().getMembers()) {
      if (node.equals(nodeOf(member))) {
        return member;
      }
    }
    return null;
  }

  private String nodeOf(Member member) {
    return NodeRoles.nodeOf(member, deps.nodeRolePrefix());
  }

}
