package io.raftring.bft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one agreement: spawns the n generals as children, drives the m+1 rounds (start a round, learn how many
 * messages each general sent to whom, tell each receiver how many to wait for, wait until all closed the round), then
 * collects the decisions and replies with a {@link BftRunResult}. The whole run is bounded by a timeout; when it
 * passes, or a general fails, the requester gets an error. The coordinator stops, and its generals with it, once it
 * has replied.
 */
public final class RunCoordinator extends AbstractBehavior<RunCoordinator.Command> {

  public interface Command extends CborSerializable {}

  /** Starts the run; the result (or the reason it failed) goes to {@code replyTo}. */
  public record Start(@JsonProperty("replyTo") ActorRef<StatusReply<BftRunResult>> replyTo) implements Command {
    @JsonCreator
    public Start {}
  }

  public record Ready(int id, byte[] publicKey) implements Command {}

  public record RoundSent(int id, int round, Map<Integer, Integer> sentTo) implements Command {}

  public record RoundClosed(int id, int round, int rejected, List<TraceEntry> trace) implements Command {}

  /** {@code decision} is null for a traitor. */
  public record Decided(int id, Order decision) implements Command {}

  private enum TimedOut implements Command {
    INSTANCE
  }

  /**
   * @param keys the generals' key pairs, or null to let every general make its own
   */
  public static Behavior<Command> create(
      BftRunRequest request, List<String> warnings, Duration timeout, KeyRing keys, SignatureScheme scheme) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new RunCoordinator(ctx, timers, request, warnings, timeout, keys, scheme)));
  }

  private enum Phase { GATHERING_KEYS, SENDING, CLOSING, DECIDING, DONE }

  private final BftRunRequest request;
  private final List<String> warnings;
  private final Duration timeout;
  private final TimerScheduler<Command> timers;
  private final Map<Integer, ActorRef<General.Command>> generals = new TreeMap<>();
  private final Map<Integer, byte[]> publicKeys = new HashMap<>();
  private final Map<Integer, Integer> expectedBy = new HashMap<>();
  private final Map<Integer, Order> decisions = new HashMap<>();
  private final List<TraceEntry> trace = new ArrayList<>();
  private ActorRef<StatusReply<BftRunResult>> replyTo;
  private Phase phase = Phase.GATHERING_KEYS;
  private int round = 0;
  private int answers = 0;
  private long messages = 0;
  private long rejected = 0;

  private RunCoordinator(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      BftRunRequest request,
      List<String> warnings,
      Duration timeout,
      KeyRing keys,
      SignatureScheme scheme) {
    super(ctx);
    this.request = request;
    this.warnings = List.copyOf(warnings);
    this.timeout = timeout;
    this.timers = timers;
    for (int id = 0; id < request.n(); id++) {
      KeyPair own = keys == null ? null : keys.pairOf(id);
      ActorRef<General.Command> g =
          ctx.spawn(
              General.create(LockstepSimulation.specOf(request, id), own, scheme, ctx.getSelf()), "general-" + id,
              DispatcherSelector.sameAsParent());
      ctx.watch(g);
      generals.put(id, g);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Ready.class, this::onReady)
        .onMessage(RoundSent.class, this::onRoundSent)
        .onMessage(RoundClosed.class, this::onRoundClosed)
        .onMessage(Decided.class, this::onDecided)
        .onMessageEquals(TimedOut.INSTANCE, this::onTimedOut)
        .onSignal(ChildFailed.class, f -> fail("general failed: " + f.getCause()))
        .onSignal(Terminated.class, t -> fail("general " + t.getRef().path().name() + " stopped"))
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    replyTo = start.replyTo();
    timers.startSingleTimer(TimedOut.INSTANCE, timeout);
    return beginIfReady();
  }

  private Behavior<Command> onReady(Ready ready) {
    publicKeys.put(ready.id(), ready.publicKey());
    return beginIfReady();
  }

  private Behavior<Command> beginIfReady() {
    if (replyTo == null || publicKeys.size() < request.n()) return this;
    General.Begin begin = new General.Begin(Map.copyOf(generals), Map.copyOf(publicKeys));
    generals.values().forEach(g -> g.tell(begin));
    return startRound(1);
  }

  private Behavior<Command> startRound(int next) {
    round = next;
    phase = Phase.SENDING;
    answers = 0;
    expectedBy.clear();
    generals.values().forEach(g -> g.tell(new General.StartRound(round)));
    return this;
  }

  private Behavior<Command> onRoundSent(RoundSent sent) {
    if (phase != Phase.SENDING || sent.round() != round) return this;
    sent.sentTo().forEach((to, count) -> expectedBy.merge(to, count, Integer::sum));
    if (++answers < request.n()) return this;
    phase = Phase.CLOSING;
    answers = 0;
    generals.forEach((id, g) -> g.tell(new General.CloseRound(round, expectedBy.getOrDefault(id, 0))));
    expectedBy.values().forEach(c -> messages += c);
    return this;
  }

  private Behavior<Command> onRoundClosed(RoundClosed closed) {
    if (phase != Phase.CLOSING || closed.round() != round) return this;
    rejected += closed.rejected();
    if (request.trace()) trace.addAll(closed.trace());
    if (++answers < request.n()) return this;
    if (round < request.rounds()) return startRound(round + 1);
    phase = Phase.DECIDING;
    answers = 0;
    generals.values().forEach(g -> g.tell(new General.Decide(round)));
    return this;
  }

  private Behavior<Command> onDecided(Decided decided) {
    if (phase != Phase.DECIDING) return this;
    if (decided.decision() != null) decisions.put(decided.id(), decided.decision());
    if (++answers < request.n()) return this;
    phase = Phase.DONE;
    replyTo.tell(
        StatusReply.success(BftRunResult.assemble(request, warnings, decisions, messages, rejected, trace)));
    return Behaviors.stopped();
  }

  private Behavior<Command> onTimedOut() {
    return fail("run did not finish within " + timeout.toMillis() + " ms (" + phase + " round " + round + ")");
  }

  private Behavior<Command> fail(String why) {
    if (phase == Phase.DONE) return this;
    phase = Phase.DONE;
    if (replyTo != null) replyTo.tell(StatusReply.error(why));
    return Behaviors.stopped();
  }
}
