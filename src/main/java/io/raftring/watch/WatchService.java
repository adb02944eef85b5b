package io.raftring.watch;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** This node's watches: each materialized source is a {@link WatchStage}, bounded in number per node. */
public final class WatchService implements WatchApi {

  private final WatchSettings settings;
  private final List<String> groups;
  private final Function<String, String> groupOfKey;
  private final Function<String, String> validKey;
  private final Function<String, List<String>> nodesFor;
  private final Function<String, ActorRef<FeedServer.Command>> feeds;
  private final WatchStage.Counters counters;

  /**
   * @param groups     every group
   * @param groupOfKey the group that holds a key
   * @param validKey   checks a key or prefix against the size limits, throwing BAD_REQUEST or TOO_LARGE
   * @param nodesFor   the nodes to pull a group's events from, best first (this node, the leader, the rest)
   * @param feeds      every node's feed (null for a node that lists none)
   */
  public WatchService(WatchSettings settings, List<String> groups, Function<String, String> groupOfKey,
      Function<String, String> validKey, Function<String, List<String>> nodesFor,
      Function<String, ActorRef<FeedServer.Command>> feeds) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.groupOfKey = groupOfKey;
    this.validKey = validKey;
    this.nodesFor = nodesFor;
    this.feeds = feeds;
    this.counters = new WatchStage.Counters(new AtomicInteger(), settings.maxWatchers(), new LongAdder());
  }

  /** Watches open on this node now. */
  public int activeWatches() {
    return counters.active().get();
  }

  /** Changes this node's watches handed to their clients so far (only grows). */
  public long eventsSent() {
    return counters.eventsSent().sum();
  }

  @Override
  public Source<WatchEvent, NotUsed> watch(WatchFilter filter, WatchPosition from) {
    List<String> watched;
    try {
      if (!filter.text().isEmpty()) {
        validKey.apply(filter.text());
      }
      watched = filter.groups(groups, groupOfKey);
      if (from != null && !from.groups().keySet().equals(Set.copyOf(watched))) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, "the position covers groups "
            + from.groups().keySet() + " but this watch spans " + new TreeSet<>(watched)
            + ": a position only resumes the watch it came from");
      }
    } catch (RuntimeException e) {
      return Source.failed(e);
    }
    return Source.fromGraph(new WatchStage(settings, filter, watched, from, nodesFor, feeds, counters));
  }
}
