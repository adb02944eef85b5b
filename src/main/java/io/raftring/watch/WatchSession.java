package io.raftring.watch;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.raftring.api.ErrorCode;
import io.raftring.watch.WatchPosition.At;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One client's watch, on the node that serves it: for each group the watch spans, it pulls matching events from a
 * replica's feed (this node's when it holds one, else another's), and hands them to the client's stream one at a
 * time, each with the position after it. A feed that goes quiet or away is replaced by another replica's, from the
 * same position: replicas apply the same entries, so a revision means the same event on each, and the client sees a
 * leader change or the loss of a node as nothing at all.
 *
 * <p>Memory is bounded: a group is pulled again only while fewer than {@code bufferEvents} events wait for the
 * client; a client that leaves events unread longer than {@code slowWatcherTimeout} has its watch closed, with the
 * position to resume from.
 */
final class WatchSession extends AbstractBehavior<WatchSession.Command> {

  interface Command {}

  /** The client's stream is materialized: elements go to {@code out}. */
  record Attached(ActorRef<Out> out) implements Command {}

  /** The stream took the last element. */
  enum Ack implements Command {
    INSTANCE
  }

  /** The client's stream ended (cancelled or done): stop. */
  enum Detached implements Command {
    INSTANCE
  }

  private record Reply(FeedServer.PullReply reply) implements Command {
    String group() {
      return reply.group();
    }
  }

  private record RetryPull(String group) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** What the session sends its stream. */
  sealed interface Out {}

  record Emit(WatchEvent event) implements Out {}

  record Fail(WatchEndedException cause) implements Out {}

  /** Where the session finds feeds: the nodes to try for a group, best first, and a node's feed (null if none). */
  interface Sources {
    List<String> nodesFor(String group);

    ActorRef<FeedServer.Command> feedOf(String node);
  }

  /** One group's cursor. */
  private static final class Cursor {
    final String group;
    At at;
    boolean answered;
    String node;
    int nodeIndex = -1;
    long pullId;
    boolean inFlight;
    /** When the pull in flight was sent: the session's tick gives up on it after the progress interval and a grace. */
    long sentNanos;
    /** When the pulls last checked that the node still holds the group (a watch pulls once per event). */
    long nodeCheckedNanos;
    boolean waitingForRoom;
    int compactedAnswers;
    int missedNodes;
    /** Why the last attempt failed, for the message should the watch give up. */
    String lastProblem = "not asked yet";

    Cursor(String group, At at) {
      this.group = group;
      this.at = at;
    }
  }

  private static final Duration PULL_GRACE = Duration.ofSeconds(2);
  private static final Duration RETRY_BACKOFF = Duration.ofMillis(250);
  private static final Duration NODE_CHECK_INTERVAL = Duration.ofSeconds(1);

  private final TimerScheduler<Command> timers;
  private final WatchSettings settings;
  private final WatchFilter filter;
  private final Sources sources;
  /** One adapter for every group's answers (a second adapter for the same class would replace the first). */
  private final ActorRef<FeedServer.PullReply> replies;
  private final Map<String, Cursor> cursors = new LinkedHashMap<>();
  private final ArrayDeque<WatchEvent> unsent = new ArrayDeque<>();
  /** Events that resumed groups found before every group had answered once; delivered after Created. */
  private final List<Reply> beforeCreated = new ArrayList<>();
  private final LongSupplier nanoClock;
  private final long startNanos;
  private ActorRef<Out> out;
  private boolean awaitingAck;
  private long lastAckNanos;
  private long lastEmitNanos;
  private boolean created;
  private WatchPosition position;
  private WatchPosition sentPosition;
  private WatchEndedException endedBeforeAttach;

  private WatchSession(ActorContext<Command> context, TimerScheduler<Command> timers, WatchSettings settings,
      WatchFilter filter, List<String> groups, WatchPosition from, Sources sources,
      LongSupplier nanoClock) {
    super(context);
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastAckNanos = startNanos;
    this.lastEmitNanos = startNanos;
    this.timers = timers;
    this.settings = settings;
    this.filter = filter;
    this.sources = sources;
    this.replies = context.messageAdapter(FeedServer.PullReply.class, Reply::new);
    Map<String, At> start = new LinkedHashMap<>();
    for (String group : groups) {
      At at = from == null ? null : from.at(group);
      cursors.put(group, new Cursor(group, at));
      if (at != null) {
        start.put(group, at);
      }
    }
    this.position = WatchPosition.of(start);
    this.sentPosition = position;
  }

  static Behavior<Command> create(WatchSettings settings, WatchFilter filter, List<String> groups, WatchPosition from,
      Sources sources) {
    return create(settings, filter, groups, from, sources, System::nanoTime);
  }

  /** As above, with the clock that times the slow-watcher and start timeouts (tests move it with ManualTime). */
  static Behavior<Command> create(WatchSettings settings, WatchFilter filter, List<String> groups, WatchPosition from,
      Sources sources, LongSupplier nanoClock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      WatchSession session = new WatchSession(ctx, timers, settings, filter, groups, from, sources, nanoClock);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(500));
      session.cursors.values().forEach(session::pull);
      return session;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attached.class, this::onAttached)
        .onMessageEquals(Ack.INSTANCE, this::onAck)
        .onMessageEquals(Detached.INSTANCE, Behaviors::stopped)
        .onMessage(Reply.class, this::onReply)
        .onMessage(RetryPull.class, retry -> {
          pull(cursors.get(retry.group()));
          return this;
        })
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onSignal(PostStop.class, stopped -> cancelPulls())
        .build();
  }

  /** However the watch ended, the feeds drop its waiting pulls now instead of answering them after it is gone. */
  private Behavior<Command> cancelPulls() {
    for (Cursor cursor : cursors.values()) {
      ActorRef<FeedServer.Command> feed = cursor.inFlight && cursor.node != null ? sources.feedOf(cursor.node) : null;
      if (feed != null) {
        feed.tell(new FeedServer.Cancel(cursor.group, cursor.pullId, replies));
      }
    }
    return this;
  }

  private Behavior<Command> onAttached(Attached attached) {
    out = attached.out();
    if (endedBeforeAttach != null) {
      out.tell(new Fail(endedBeforeAttach));
      return Behaviors.stopped();
    }
    send();
    return this;
  }

  private Behavior<Command> onAck() {
    awaitingAck = false;
    lastAckNanos = nanoClock.getAsLong();
    send();
    if (unsent.size() < settings.bufferEvents()) {
      for (Cursor cursor : cursors.values()) {
        if (cursor.waitingForRoom) {
          cursor.waitingForRoom = false;
          pull(cursor);
        }
      }
    }
    return this;
  }

  // ---- pulling

  private void pull(Cursor cursor) {
    if (cursor.inFlight) {
      return;
    }
    if (created && unsent.size() >= settings.bufferEvents()) {
      cursor.waitingForRoom = true;
      return;
    }
    long now = nanoClock.getAsLong();
    if (cursor.node != null && now - cursor.nodeCheckedNanos >= NODE_CHECK_INTERVAL.toNanos()) {
      cursor.nodeCheckedNanos = now;
      if (!sources.nodesFor(cursor.group).contains(cursor.node)) {
        // The group moved off that node (or it left the cluster): its history there stopped growing.
        cursor.node = null;
      }
    }
    ActorRef<FeedServer.Command> feed = cursor.node == null ? null : sources.feedOf(cursor.node);
    if (feed == null) {
      feed = nextFeed(cursor);
    }
    if (feed == null) {
      cursor.lastProblem = "no node of " + sources.nodesFor(cursor.group) + " has a watch feed listed";
      timers.startSingleTimer("retry-" + cursor.group, new RetryPull(cursor.group), RETRY_BACKOFF);
      return;
    }
    cursor.pullId++;
    cursor.inFlight = true;
    cursor.sentNanos = now;
    long after = cursor.at == null ? -1 : cursor.at.revision();
    feed.tell(new FeedServer.Pull(cursor.group, filter, after, settings.pullMaxEvents(), settings.pullMaxBytes(),
        cursor.pullId, replies));
  }

  /** Moves the cursor to the next node with a feed, best first; null when none has one now. */
  private ActorRef<FeedServer.Command> nextFeed(Cursor cursor) {
    List<String> nodes = sources.nodesFor(cursor.group);
    for (int tried = 0; tried < nodes.size(); tried++) {
      cursor.nodeIndex = (cursor.nodeIndex + 1) % nodes.size();
      String node = nodes.get(cursor.nodeIndex);
      ActorRef<FeedServer.Command> feed = sources.feedOf(node);
      if (feed != null) {
        cursor.node = node;
        cursor.nodeCheckedNanos = nanoClock.getAsLong();
        return feed;
      }
    }
    cursor.node = null;
    return null;
  }

  private void switchNode(Cursor cursor) {
    cursor.node = null;
    cursor.missedNodes++;
    if (cursor.missedNodes % Math.max(1, sources.nodesFor(cursor.group).size()) == 0) {
      // Every node was tried: wait a little before the next round.
      timers.startSingleTimer("retry-" + cursor.group, new RetryPull(cursor.group), RETRY_BACKOFF);
    } else {
      pull(cursor);
    }
  }

  /**
   * A feed answers a parked pull within the progress interval; one that did not answer within a grace after that is
   * taken for gone. Checked on the session's tick rather than with a timer per pull: a watch pulls once per event.
   */
  private void giveUpOnSilentFeeds(long now) {
    long patience = settings.progressInterval().plus(PULL_GRACE).toNanos();
    for (Cursor cursor : cursors.values()) {
      if (cursor.inFlight && now - cursor.sentNanos >= patience) {
        cursor.inFlight = false;
        cursor.lastProblem = cursor.node + " did not answer";
        switchNode(cursor);
      }
    }
  }

  private Behavior<Command> onReply(Reply reply) {
    Cursor cursor = cursors.get(reply.group());
    if (cursor == null || !cursor.inFlight || reply.reply().pullId() != cursor.pullId) {
      return this;
    }
    cursor.inFlight = false;
    if (reply.reply() instanceof FeedServer.NotHere notHere) {
      cursor.lastProblem = cursor.node + ": " + notHere.reason();
      switchNode(cursor);
      return this;
    }
    if (reply.reply() instanceof FeedServer.Compacted compacted) {
      cursor.compactedAnswers++;
      if (cursor.compactedAnswers >= sources.nodesFor(cursor.group).size()) {
        return end(ErrorCode.COMPACTED, "the watch position " + cursor.group + ":" + cursor.at.revision()
            + " is older than the history the replicas keep (it starts after revision " + compacted.floor()
            + "): read the keys again, then watch from the read's position");
      }
      cursor.node = null;
      pull(cursor);
      return this;
    }
    cursor.compactedAnswers = 0;
    cursor.missedNodes = 0;
    FeedServer.Events events = (FeedServer.Events) reply.reply();
    if (!created) {
      startWith(cursor, reply, events);
      return this;
    }
    deliver(cursor, events);
    pull(cursor);
    send();
    return this;
  }

  /** Before Created: learn where each group starts; Created once all have answered, then what they found. */
  private void startWith(Cursor cursor, Reply reply, FeedServer.Events events) {
    if (!events.events().isEmpty()) {
      beforeCreated.add(reply);
    } else {
      // From now, or resumed with nothing new: the group starts where its feed stands.
      cursor.at = At.of(cursor.at == null ? events.through() : Math.max(cursor.at.revision(), events.through()));
      position = position.with(cursor.group, cursor.at);
    }
    cursor.answered = true;
    if (cursors.values().stream().allMatch(c -> c.answered)) {
      created = true;
      unsent.add(new WatchEvent.Created(position));
      for (Reply early : beforeCreated) {
        deliver(cursors.get(early.group()), (FeedServer.Events) early.reply());
      }
      beforeCreated.clear();
      send();
      cursors.values().forEach(this::pull);
    }
  }

  private void deliver(Cursor cursor, FeedServer.Events events) {
    WatchPosition.Delivery delivery = WatchPosition.deliver(cursor.at, events.events(), events.through());
    for (WatchPosition.Step step : delivery.steps()) {
      position = position.with(cursor.group, step.after());
      unsent.add(new WatchEvent.Changed(step.event(), cursor.group, position));
    }
    cursor.at = delivery.end();
    WatchPosition before = position;
    position = position.with(cursor.group, cursor.at);
    boolean quiet = delivery.steps().isEmpty() && !position.equals(before);
    if (quiet && unsent.isEmpty()
        && nanoClock.getAsLong() - lastEmitNanos >= settings.progressInterval().toNanos()) {
      unsent.add(new WatchEvent.Progress(position));
    }
  }

  // ---- the client's stream

  private void send() {
    if (out == null || awaitingAck || unsent.isEmpty()) {
      return;
    }
    WatchEvent next = unsent.poll();
    awaitingAck = true;
    sentPosition = next.position();
    lastEmitNanos = nanoClock.getAsLong();
    out.tell(new Emit(next));
  }

  private Behavior<Command> onTick() {
    long now = nanoClock.getAsLong();
    giveUpOnSilentFeeds(now);
    if (!created && now - startNanos > settings.startTimeout().toNanos()) {
      List<String> waiting = cursors.values().stream().filter(c -> !c.answered)
          .map(c -> c.group + " (" + c.lastProblem + ")").toList();
      return end(ErrorCode.NOT_READY, "no replica of groups " + waiting + " answered within "
          + settings.startTimeout().toMillis() + " ms");
    }
    if (awaitingAck && now - lastAckNanos > settings.slowWatcherTimeout().toNanos()) {
      return end(ErrorCode.OVERLOADED, "the watcher read too slowly: an event waited more than "
          + settings.slowWatcherTimeout().toSeconds() + " s to be taken, with " + unsent.size()
          + " more behind it; resume from the position");
    }
    long quietNanos = now - lastEmitNanos;
    // A progress line when the position moved; on a quiet cluster now and then all the same, so that proxies and the
    // HTTP server's idle timeout do not take a quiet watch for a dead connection.
    if (created && unsent.isEmpty() && !awaitingAck && quietNanos >= settings.progressInterval().toNanos()
        && (!position.equals(sentPosition) || quietNanos >= settings.progressInterval().multipliedBy(6).toNanos())) {
      unsent.add(new WatchEvent.Progress(position));
      send();
    }
    return this;
  }

  private Behavior<Command> end(ErrorCode code, String message) {
    WatchEndedException ended = new WatchEndedException(code, message, created ? sentPosition : null);
    if (out == null) {
      endedBeforeAttach = ended;
      return this;
    }
    out.tell(new Fail(ended));
    return Behaviors.stopped();
  }

  /** For tests: the session's newest position, delivered or not. */
  WatchPosition position() {
    return position;
  }
}
