package io.raftring.watch;

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
 * replica's feed (this node's when it holds one, else another's), and hands them to the client one at a time, each
 * with the position after it. A feed that goes quiet or away is replaced by another replica's, from the same position:
 * replicas apply the same entries, so a revision means the same event on each, and the client sees a leader change or
 * the loss of a node as nothing at all.
 *
 * <p>Memory is bounded: a group is pulled again only while fewer than {@code bufferEvents} events wait for the
 * client; a client that leaves an event untaken longer than {@code slowWatcherTimeout} has its watch closed, with the
 * position to resume from.
 *
 * <p>Plain logic, driven by {@link WatchStage} inside the client's stream: it sends through {@link Feeds}, and the
 * stage takes what it has for the client ({@link #next}) and whether it ended ({@link #ended}) after each call.
 */
final class WatchSession {

  /** The feeds a session pulls from, and the timer it needs; the stage's, or a test's. */
  interface Feeds {
    /** The nodes to try for a group, best first. */
    List<String> nodesFor(String group);

    /**
     * Sends {@code node}'s feed a pull of {@code group} after {@code after}, answered {@code atOnce} even if nothing
     * matches yet; false when that node lists no feed now.
     */
    boolean pull(String node, String group, long after, long pullId, boolean atOnce);

    /** Tells {@code node}'s feed to drop pull {@code pullId} of {@code group} unanswered. */
    void cancel(String node, String group, long pullId);

    /** {@link #retry} for {@code group} after {@code delay}. */
    void retryLater(String group, Duration delay);
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
    /** When the pull in flight was sent: the tick gives up on it after the progress interval and a grace. */
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

  /** How often the stage should call {@link #tick}: the finest of the timeouts it checks is seconds. */
  static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration PULL_GRACE = Duration.ofSeconds(2);
  static final Duration RETRY_BACKOFF = Duration.ofMillis(250);
  private static final Duration NODE_CHECK_INTERVAL = Duration.ofSeconds(1);

  private final WatchSettings settings;
  private final Feeds feeds;
  private final Map<String, Cursor> cursors = new LinkedHashMap<>();
  private final ArrayDeque<WatchEvent> unsent = new ArrayDeque<>();
  /** Events that resumed groups found before every group had answered once; delivered after Created. */
  private final List<FeedServer.Events> beforeCreated = new ArrayList<>();
  private final LongSupplier nanoClock;
  private final long startNanos;
  /** An event went to the client and was not taken yet. */
  private boolean awaitingTake;
  private long lastTakeNanos;
  private long lastEmitNanos;
  private boolean created;
  private WatchPosition position;
  private WatchPosition sentPosition;
  private WatchEndedException ended;

  /**
   * A session from position {@code from} (null: from now) over {@code groups}; {@link #start} sends its first pulls.
   */
  WatchSession(WatchSettings settings, List<String> groups, WatchPosition from, Feeds feeds, LongSupplier nanoClock) {
    this.settings = settings;
    this.feeds = feeds;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastTakeNanos = startNanos;
    this.lastEmitNanos = startNanos;
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

  void start() {
    cursors.values().forEach(this::pull);
  }

  /** The next event for the client, or null while there is none or the last one was not taken yet. */
  WatchEvent next() {
    if (ended != null || awaitingTake || unsent.isEmpty()) {
      return null;
    }
    WatchEvent next = unsent.poll();
    awaitingTake = true;
    sentPosition = next.position();
    lastEmitNanos = nanoClock.getAsLong();
    return next;
  }

  /** The client is ready for another event (it took the last one). */
  void taken() {
    awaitingTake = false;
    lastTakeNanos = nanoClock.getAsLong();
    if (unsent.size() < settings.bufferEvents()) {
      for (Cursor cursor : cursors.values()) {
        if (cursor.waitingForRoom) {
          cursor.waitingForRoom = false;
          pull(cursor);
        }
      }
    }
  }

  /** Why the watch ended (the client's stream fails with it), or null while it runs. */
  WatchEndedException ended() {
    return ended;
  }

  /** However the watch ended, the feeds drop its waiting pulls now instead of answering them after it is gone. */
  void close() {
    for (Cursor cursor : cursors.values()) {
      if (cursor.inFlight && cursor.node != null) {
        cursor.inFlight = false;
        feeds.cancel(cursor.node, cursor.group, cursor.pullId);
      }
    }
  }

  // ---- pulling

  /** The retry {@link Feeds#retryLater} asked for. */
  void retry(String group) {
    Cursor cursor = cursors.get(group);
    if (cursor != null && ended == null) {
      pull(cursor);
    }
  }

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
      if (!feeds.nodesFor(cursor.group).contains(cursor.node)) {
        // The group moved off that node (or it left the cluster): its history there stopped growing.
        cursor.node = null;
      }
    }
    long after = cursor.at == null ? -1 : cursor.at.revision();
    long pullId = cursor.pullId + 1;
    // Until a group answered once, its feed answers at once: a watch resumed on a quiet key starts without waiting
    // for a change or the progress interval (by default as long as the start timeout).
    boolean atOnce = !cursor.answered;
    if (cursor.node != null && feeds.pull(cursor.node, cursor.group, after, pullId, atOnce)) {
      sent(cursor, pullId, now);
      return;
    }
    // Every node once, best first, from the one after the last tried.
    List<String> nodes = feeds.nodesFor(cursor.group);
    for (int tried = 0; tried < nodes.size(); tried++) {
      cursor.nodeIndex = (cursor.nodeIndex + 1) % nodes.size();
      String node = nodes.get(cursor.nodeIndex);
      if (feeds.pull(node, cursor.group, after, pullId, atOnce)) {
        cursor.node = node;
        cursor.nodeCheckedNanos = now;
        sent(cursor, pullId, now);
        return;
      }
    }
    cursor.node = null;
    cursor.lastProblem = "no node of " + nodes + " has a watch feed listed";
    feeds.retryLater(cursor.group, RETRY_BACKOFF);
  }

  private static void sent(Cursor cursor, long pullId, long now) {
    cursor.pullId = pullId;
    cursor.inFlight = true;
    cursor.sentNanos = now;
  }

  private void switchNode(Cursor cursor) {
    cursor.node = null;
    cursor.missedNodes++;
    if (cursor.missedNodes % Math.max(1, feeds.nodesFor(cursor.group).size()) == 0) {
      // Every node was tried: wait a little before the next round.
      feeds.retryLater(cursor.group, RETRY_BACKOFF);
    } else {
      pull(cursor);
    }
  }

  /**
   * A feed answers a parked pull within the progress interval; one that did not answer within a grace after that is
   * taken for gone. Checked on the tick rather than with a timer per pull: a watch pulls once per event.
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

  /** A feed's answer; one to a pull that is no longer in flight (given up on, or of an earlier id) is ignored. */
  void onReply(FeedServer.PullReply reply) {
    Cursor cursor = cursors.get(reply.group());
    if (ended != null || cursor == null || !cursor.inFlight || reply.pullId() != cursor.pullId) {
      return;
    }
    cursor.inFlight = false;
    if (reply instanceof FeedServer.NotHere notHere) {
      cursor.lastProblem = cursor.node + ": " + notHere.reason();
      switchNode(cursor);
      return;
    }
    if (reply instanceof FeedServer.Compacted compacted) {
      cursor.compactedAnswers++;
      if (cursor.compactedAnswers >= feeds.nodesFor(cursor.group).size()) {
        end(ErrorCode.COMPACTED, "the watch position " + cursor.group + ":" + cursor.at.revision()
            + " is older than the history the replicas keep (it starts after revision " + compacted.floor()
            + "): read the keys again, then watch from the read's position");
        return;
      }
      cursor.node = null;
      pull(cursor);
      return;
    }
    cursor.compactedAnswers = 0;
    cursor.missedNodes = 0;
    FeedServer.Events events = (FeedServer.Events) reply;
    if (!created) {
      startWith(cursor, events);
      return;
    }
    deliver(cursor, events);
    pull(cursor);
  }

  /** Before Created: learn where each group starts; Created once all have answered, then what they found. */
  private void startWith(Cursor cursor, FeedServer.Events events) {
    if (!events.events().isEmpty()) {
      beforeCreated.add(events);
    } else {
      // From now, or resumed with nothing new: the group starts where its feed stands.
      cursor.at = At.of(cursor.at == null ? events.through() : Math.max(cursor.at.revision(), events.through()));
      position = position.with(cursor.group, cursor.at);
    }
    cursor.answered = true;
    if (cursors.values().stream().allMatch(c -> c.answered)) {
      created = true;
      unsent.add(new WatchEvent.Created(position));
      for (FeedServer.Events early : beforeCreated) {
        deliver(cursors.get(early.group()), early);
      }
      beforeCreated.clear();
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

  // ---- time

  /** Checks the timeouts: silent feeds, a start that takes too long, a slow client; and sends progress when due. */
  void tick() {
    if (ended != null) {
      return;
    }
    long now = nanoClock.getAsLong();
    giveUpOnSilentFeeds(now);
    if (!created && now - startNanos > settings.startTimeout().toNanos()) {
      List<String> waiting = cursors.values().stream().filter(c -> !c.answered)
          .map(c -> c.group + " (" + c.lastProblem + ")").toList();
      end(ErrorCode.NOT_READY, "no replica of groups " + waiting + " answered within "
          + settings.startTimeout().toMillis() + " ms");
      return;
    }
    if (awaitingTake && now - lastTakeNanos > settings.slowWatcherTimeout().toNanos()) {
      end(ErrorCode.OVERLOADED, "the watcher read too slowly: an event waited more than "
          + settings.slowWatcherTimeout().toSeconds() + " s to be taken, with " + unsent.size()
          + " more behind it; resume from the position");
      return;
    }
    long quietNanos = now - lastEmitNanos;
    // A progress line when the position moved; on a quiet cluster now and then all the same, so that proxies and the
    // HTTP server's idle timeout do not take a quiet watch for a dead connection.
    if (created && unsent.isEmpty() && !awaitingTake && quietNanos >= settings.progressInterval().toNanos()
        && (!position.equals(sentPosition) || quietNanos >= settings.progressInterval().multipliedBy(6).toNanos())) {
      unsent.add(new WatchEvent.Progress(position));
    }
  }

  private void end(ErrorCode code, String message) {
    ended = new WatchEndedException(code, message, created ? sentPosition : null);
  }

  /** For tests: the session's newest position, delivered or not. */
  WatchPosition position() {
    return position;
  }
}
