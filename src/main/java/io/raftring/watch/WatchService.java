package io.raftring.watch;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** This node's watches: each materialized source is a {@link WatchSession}, bounded in number per node. */
public final class WatchService implements WatchApi {

  private final ActorSystem<?> system;
  private final WatchSettings settings;
  private final List<String> groups;
  private final Function<String, String> groupOfKey;
  private final Function<String, String> validKey;
  private final WatchSession.Sources sources;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong sessionIds = new AtomicLong();
  private final java.util.concurrent.atomic.LongAdder eventsSent = new java.util.concurrent.atomic.LongAdder();

  /**
   * @param groups     every group
   * @param groupOfKey the group that holds a key
   * @param validKey   checks a key or prefix against the size limits, throwing BAD_REQUEST or TOO_LARGE
   * @param nodesFor   the nodes to pull a group's events from, best first (this node, the leader, the rest)
   * @param feeds      every node's feed
   */
  public WatchService(ActorSystem<?> system, WatchSettings settings, List<String> groups,
      Function<String, String> groupOfKey, Function<String, String> validKey,
      Function<String, List<String>> nodesFor, Function<String, ActorRef<FeedServer.Command>> feeds) {
    this.system = system;
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.groupOfKey = groupOfKey;
    this.validKey = validKey;
    this.sources = new WatchSession.Sources() {
      @Override
      public List<String> nodesFor(String group) {
        return nodesFor.apply(group);
      }

      @Override
      public ActorRef<FeedServer.Command> feedOf(String node) {
        return feeds.apply(node);
      }
    };
  }

  /** Watches open on this node now. */
  public int activeWatches() {
    return active.get();
  }

  /** Changes this node's watches handed to their clients so far (only grows). */
  public long eventsSent() {
    return eventsSent.sum();
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
    return Source.<WatchEvent, NotUsed>fromMaterializer((materializer, attributes) -> open(filter, watched, from))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Source<WatchEvent, NotUsed> open(WatchFilter filter, List<String> watched, WatchPosition from) {
    if (active.incrementAndGet() > settings.maxWatchers()) {
      active.decrementAndGet();
      return Source.failed(new WatchEndedException(ErrorCode.OVERLOADED,
          "this node serves " + settings.maxWatchers() + " watches already (raftring.watch.max-watchers)", null));
    }
    ActorRef<WatchSession.Command> session = system.systemActorOf(
        WatchSession.create(settings, filter, watched, from, sources), "watch-" + sessionIds.incrementAndGet(),
        Props.empty());
    return ActorSource.<WatchSession.Out, WatchSession.Command>actorRefWithBackpressure(
            session,
            WatchSession.Ack.INSTANCE,
            out -> Optional.empty(),
            out -> out instanceof WatchSession.Fail fail ? Optional.of(fail.cause()) : Optional.empty())
        .mapMaterializedValue(out -> {
          session.tell(new WatchSession.Attached(out));
          return NotUsed.getInstance();
        })
        .collectType(WatchSession.Emit.class).map(WatchSession.Emit::event)
        .wireTap(event -> {
          if (event instanceof WatchEvent.Changed) {
            eventsSent.increment();
          }
        })
        .watchTermination((notUsed, done) -> {
          done.whenComplete((d, e) -> {
            session.tell(WatchSession.Detached.INSTANCE);
            active.decrementAndGet();
          });
          return notUsed;
        });
  }
}
