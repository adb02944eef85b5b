package io.raftring.watch;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.raftring.CborSerializable;
import io.raftring.kv.KvEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Serves watchers on any node from this node's group histories: a watcher pulls a group's matching events after its
 * revision; the answer comes at once when there are some, else when some arrive, else after the progress interval
 * with none (and the revision the history reached, so the watcher's position stays fresh). Pulling keeps every
 * watcher's buffer on its own side: this node holds only the shared histories and one parked request per watcher and
 * group.
 */
public final class FeedServer extends AbstractBehavior<FeedServer.Command> {

  public interface Command {}

  /**
   * Matching events of {@code group} after revision {@code after} (-1: none, just the newest revision), at most about
   * {@code maxEvents} (whole revisions) and {@code maxBytes}. {@code pullId} comes back in the answer. With
   * {@code atOnce} (a watch starting) the answer comes at once even when nothing matches yet, with the newest
   * revision; else it waits as above.
   */
  public record Pull(String group, WatchFilter filter, long after, int maxEvents, long maxBytes, long pullId,
      boolean atOnce, ActorRef<PullReply> replyTo) implements Command, CborSerializable {}

  /** An answer to the pull {@code pullId} of {@code group}. */
  public sealed interface PullReply extends CborSerializable {
    String group();

    long pullId();
  }

  /** Every matching event after the pull's revision up to {@code through}. */
  public record Events(String group, long pullId, List<KvEvent> events, long through) implements PullReply {}

  /** This node's history of the group starts after {@code floor}, beyond the pull's revision. */
  public record Compacted(String group, long pullId, long floor) implements PullReply {}

  /** This node holds no history of the group. */
  public record NotHere(String group, long pullId, String reason) implements PullReply {}

  /**
   * The watcher behind {@code replyTo} is gone: drop its pull {@code pullId} of {@code group} unanswered, rather than
   * keep it until the progress interval and then answer nobody (a thousand watches closing together would leave a
   * thousand parked pulls per group, all due within one progress interval, each answered into dead letters).
   */
  public record Cancel(String group, long pullId, ActorRef<PullReply> replyTo) implements Command, CborSerializable {}

  /** A group's history grew, or was replaced (from {@link NodeHistories}). */
  record Appended(String group) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Parked(Pull pull, long deadlineNanos) {}

  /**
   * One group's waiting pulls, indexed so that a new event finds its watchers without asking every one: pulls of one
   * key by that key, prefix pulls in a list (fewer, and each checked against the new events).
   */
  private static final class Parking {
    final Map<String, List<Parked>> byKey = new HashMap<>();
    final List<Parked> byPrefix = new ArrayList<>();
    /** The same pulls by whom to answer: a watcher has at most one pull of a group in flight. */
    final Map<ActorRef<PullReply>, Parked> byWatcher = new HashMap<>();
    /** Events up to this revision were looked at for the pulls parked before. */
    long checkedThrough;
    /** The history's floor when the parked pulls were last checked against it; -1: never. */
    long floorSeen = -1;

    Parking(long checkedThrough) {
      this.checkedThrough = checkedThrough;
    }

    void add(Parked parked) {
      byWatcher.put(parked.pull().replyTo(), parked);
      if (parked.pull().filter().prefix()) {
        byPrefix.add(parked);
      } else {
        byKey.computeIfAbsent(parked.pull().filter().text(), k -> new ArrayList<>()).add(parked);
      }
    }

    void remove(Parked parked) {
      byWatcher.remove(parked.pull().replyTo(), parked);
      if (parked.pull().filter().prefix()) {
        byPrefix.remove(parked);
      } else {
        List<Parked> ofKey = byKey.get(parked.pull().filter().text());
        ofKey.remove(parked);
        if (ofKey.isEmpty()) {
          byKey.remove(parked.pull().filter().text());
        }
      }
    }

    List<Parked> all() {
      List<Parked> all = new ArrayList<>(byPrefix);
      byKey.values().forEach(all::addAll);
      return all;
    }

    /** The pulls one of {@code events} matches, each once. */
    java.util.Set<Parked> matching(List<KvEvent> events) {
      java.util.Set<Parked> matched = new java.util.LinkedHashSet<>();
      for (KvEvent event : events) {
        List<Parked> ofKey = byKey.get(event.key());
        if (ofKey != null) {
          matched.addAll(ofKey);
        }
        for (Parked parked : byPrefix) {
          if (parked.pull().filter().matches(event.key())) {
            matched.add(parked);
          }
        }
      }
      return matched;
    }
  }

  private final NodeHistories histories;
  private final Duration progressInterval;
  private final LongSupplier nanoClock;
  private final Map<String, Parking> parkingOf = new HashMap<>();

  private FeedServer(ActorContext<Command> context, NodeHistories histories, Duration progressInterval,
      LongSupplier nanoClock) {
    super(context);
    this.histories = histories;
    this.progressInterval = progressInterval;
    this.nanoClock = nanoClock;
  }

  public static Behavior<Command> create(NodeHistories histories, Duration progressInterval) {
    return create(histories, progressInterval, System::nanoTime);
  }

  /** As above, with the clock that times the progress interval (tests pass one that moves with ManualTime). */
  static Behavior<Command> create(NodeHistories histories, Duration progressInterval, LongSupplier nanoClock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<Command> self = ctx.getSelf();
      histories.notifyTo(group -> self.tell(new Appended(group)));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, progressInterval.dividedBy(4));
      return new FeedServer(ctx, histories, progressInterval, nanoClock);
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Pull.class, this::onPull)
        .onMessage(Appended.class, this::onAppended)
        .onMessage(Cancel.class, this::onCancel)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onPull(Pull pull) {
    GroupHistory history = histories.history(pull.group());
    if (history == null) {
      pull.replyTo().tell(new NotHere(pull.group(), pull.pullId(),
          "no replica of " + pull.group() + " has applied anything here"));
      return this;
    }
    long seenThrough = answer(pull, pull.after(), history, pull.atOnce());
    if (seenThrough != ANSWERED) {
      // A new parking lot has looked at nothing newer than what this pull's own read saw, and not yet at the floor.
      parkingOf.computeIfAbsent(pull.group(), g -> new Parking(seenThrough))
          .add(new Parked(pull, nanoClock.getAsLong() + progressInterval.toNanos()));
    }
    return this;
  }

  private Behavior<Command> onAppended(Appended appended) {
    histories.looked(appended.group());
    Parking parking = parkingOf.get(appended.group());
    GroupHistory history = histories.history(appended.group());
    if (parking == null || history == null) {
      return this;
    }
    // Every parked pull was checked against every event up to here and matched none: it reads on from here.
    long checked = parking.checkedThrough;
    GroupHistory.Tail fresh = history.tailAfter(checked);
    long floor = fresh.floor();
    parking.checkedThrough = Math.max(checked, fresh.latest());
    java.util.Set<Parked> toAnswer = parking.matching(fresh.events());
    if (floor != parking.floorSeen) {
      parking.floorSeen = floor;
      if (floor > checked) {
        // Events were dropped before the parked pulls were checked against them (a snapshot beyond the history, or
        // a burst longer than it): the pulls behind the floor hear so now.
        toAnswer.addAll(parking.all());
      }
    }
    for (Parked parked : toAnswer) {
      if (answer(parked.pull(), Math.max(parked.pull().after(), checked), history, false) == ANSWERED) {
        parking.remove(parked);
      }
    }
    return this;
  }

  private Behavior<Command> onCancel(Cancel cancel) {
    Parking parking = parkingOf.get(cancel.group());
    Parked parked = parking == null ? null : parking.byWatcher.get(cancel.replyTo());
    if (parked != null && parked.pull().pullId() == cancel.pullId()) {
      parking.remove(parked);
    }
    return this;
  }

  /** Parked pulls past the progress interval get what there is: usually nothing, and the newest revision. */
  private Behavior<Command> onTick() {
    long now = nanoClock.getAsLong();
    parkingOf.forEach((group, parking) -> {
      GroupHistory history = histories.history(group);
      for (Parked parked : parking.all()) {
        if (now - parked.deadlineNanos() >= 0
            && answer(parked.pull(), Math.max(parked.pull().after(), parking.checkedThrough), history, true)
            == ANSWERED) {
          parking.remove(parked);
        }
      }
    });
    return this;
  }

  /**
   * Answers {@code pull} with what matches after {@code after} (its own revision, or a later one up to which it was
   * parked and checked against every event) if there is something to say (or {@code evenIfEmpty}) and returns
   * {@link #ANSWERED}; else returns the revision its read went up to, for the pull to wait beyond.
   */
  private static long answer(Pull pull, long after, GroupHistory history, boolean evenIfEmpty) {
    GroupHistory.Read read = history.read(after, pull.filter(), pull.maxEvents(), pull.maxBytes());
    if (read instanceof GroupHistory.Compacted compacted) {
      pull.replyTo().tell(new Compacted(pull.group(), pull.pullId(), compacted.floor()));
      return ANSWERED;
    }
    GroupHistory.Found found = (GroupHistory.Found) read;
    if (found.events().isEmpty() && !evenIfEmpty && pull.after() >= 0) {
      return found.through();
    }
    pull.replyTo().tell(new Events(pull.group(), pull.pullId(), found.events(), found.through()));
    return ANSWERED;
  }

  private static final long ANSWERED = -1;

}
