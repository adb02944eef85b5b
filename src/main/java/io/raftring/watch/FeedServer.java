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
import java.util.Iterator;
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
   * {@code maxEvents} (whole revisions) and {@code maxBytes}. {@code pullId} comes back in the answer.
   */
  public record Pull(String group, WatchFilter filter, long after, int maxEvents, long maxBytes, long pullId,
      ActorRef<PullReply> replyTo) implements Command, CborSerializable {}

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

  /** A group's history grew, or was replaced (from {@link NodeHistories}). */
  record Appended(String group) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private static final class Parked {
    final Pull pull;
    final long deadlineNanos;
    /** Events up to this revision are known not to match. */
    long checkedThrough;

    Parked(Pull pull, long deadlineNanos, long checkedThrough) {
      this.pull = pull;
      this.deadlineNanos = deadlineNanos;
      this.checkedThrough = checkedThrough;
    }
  }

  private final NodeHistories histories;
  private final Duration progressInterval;
  private final LongSupplier nanoClock;
  private final Map<String, List<Parked>> parkedByGroup = new HashMap<>();

  private FeedServer(ActorContext<Command> context, NodeHistories histories, Duration progressInterval,
      LongSupplier nanoClock) {
    super(context);
    this.histories = histories;
    this.progressInterval = progressInterval;
    this.nanoClock = nanoClock;
  }

  public static Behavior<Command> create(NodeHistories histories, Duration progressInterval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<Command> self = ctx.getSelf();
      histories.notifyTo(group -> self.tell(new Appended(group)));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, progressInterval.dividedBy(4));
      return new FeedServer(ctx, histories, progressInterval, System::nanoTime);
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Pull.class, this::onPull)
        .onMessage(Appended.class, this::onAppended)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onPull(Pull pull) {
    GroupHistory history = histories.history(pull.group());
    if (history == null) {
      pull.replyTo().tell(new NotHere(pull.group(), pull.pullId(), "no replica of " + pull.group() + " has applied anything here"));
      return this;
    }
    if (!answer(pull, history, false)) {
      parkedByGroup.computeIfAbsent(pull.group(), g -> new ArrayList<>())
          .add(new Parked(pull, nanoClock.getAsLong() + progressInterval.toNanos(), history.latest()));
    }
    return this;
  }

  private Behavior<Command> onAppended(Appended appended) {
    histories.looked(appended.group());
    List<Parked> parked = parkedByGroup.get(appended.group());
    GroupHistory history = histories.history(appended.group());
    if (parked == null || history == null) {
      return this;
    }
    long latest = history.latest();
    for (Iterator<Parked> it = parked.iterator(); it.hasNext(); ) {
      Parked p = it.next();
      if (p.pull.after() < history.floor() || history.anyMatchAfter(p.checkedThrough, p.pull.filter())) {
        if (answer(p.pull, history, false)) {
          it.remove();
          continue;
        }
      }
      p.checkedThrough = latest;
    }
    return this;
  }

  /** Parked pulls past the progress interval get what there is: usually nothing, and the newest revision. */
  private Behavior<Command> onTick() {
    long now = nanoClock.getAsLong();
    parkedByGroup.forEach((group, parked) -> {
      GroupHistory history = histories.history(group);
      parked.removeIf(p -> now - p.deadlineNanos >= 0 && answer(p.pull, history, true));
    });
    return this;
  }

  /** Answers {@code pull} if there is something to say (or {@code evenIfEmpty}); false when it should wait. */
  private static boolean answer(Pull pull, GroupHistory history, boolean evenIfEmpty) {
    GroupHistory.Read read = history.read(pull.after(), pull.filter(), pull.maxEvents(), pull.maxBytes());
    if (read instanceof GroupHistory.Compacted compacted) {
      pull.replyTo().tell(new Compacted(pull.group(), pull.pullId(), compacted.floor()));
      return true;
    }
    GroupHistory.Found found = (GroupHistory.Found) read;
    if (found.events().isEmpty() && !evenIfEmpty && pull.after() >= 0) {
      return false;
    }
    pull.replyTo().tell(new Events(pull.group(), pull.pullId(), found.events(), found.through()));
    return true;
  }

  /** For tests and metrics: pulls waiting for events. */
  int parkedCount() {
    return parkedByGroup.values().stream().mapToInt(List::size).sum();
  }
}
