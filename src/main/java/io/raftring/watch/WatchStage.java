package io.raftring.watch;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.stream.Attributes;
import akka.stream.Outlet;
import akka.stream.SourceShape;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import io.raftring.api.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A watch as a source: its {@link WatchSession} runs inside the client's stream, the feeds answer the stage's own
 * actor ref, and events go downstream as the client takes them. Nothing runs beside the stream: no actor per watch,
 * and an event crosses no thread or mailbox between its feed's answer and the connection (within a shared stream,
 * where the stream's stages fuse with this one).
 */
final class WatchStage extends GraphStage<SourceShape<WatchEvent>> {

  /** What every watch of a node shares: how many run, how many may, and how many changes went out. */
  record Counters(AtomicInteger active, int maxWatchers, LongAdder eventsSent) {}

  private static final String TICK = "tick";
  private static final String RETRY = "retry-";

  private final Outlet<WatchEvent> out = Outlet.create("WatchStage.out");
  private final SourceShape<WatchEvent> shape = SourceShape.of(out);
  private final WatchSettings settings;
  private final List<String> groups;
  private final WatchFilter filter;
  private final WatchPosition from;
  private final Function<String, List<String>> nodesFor;
  private final Function<String, ActorRef<FeedServer.Command>> feeds;
  private final Counters counters;

  /**
   * @param nodesFor the nodes to pull a group's events from, best first
   * @param feeds    a node's feed, or null when it lists none
   */
  WatchStage(WatchSettings settings, WatchFilter filter, List<String> groups, WatchPosition from,
      Function<String, List<String>> nodesFor, Function<String, ActorRef<FeedServer.Command>> feeds,
      Counters counters) {
    this.settings = settings;
    this.filter = filter;
    this.groups = List.copyOf(groups);
    this.from = from;
    this.nodesFor = nodesFor;
    this.feeds = feeds;
    this.counters = counters;
  }

  @Override
  public SourceShape<WatchEvent> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private WatchSession session;
      private ActorRef<FeedServer.PullReply> replies;
      private boolean counted;

      {
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            session.taken();
            flush();
          }
        });
      }

      @Override
      public void preStart() {
        if (counters.active().incrementAndGet() > counters.maxWatchers()) {
          counters.active().decrementAndGet();
          failStage(new WatchEndedException(ErrorCode.OVERLOADED, "this node serves " + counters.maxWatchers()
              + " watches already (raftring.watch.max-watchers)", null));
          return;
        }
        counted = true;
        replies = Adapter.toTyped(getStageActor(message -> {
          if (message._2() instanceof FeedServer.PullReply reply) {
            session.onReply(reply);
            flush();
          }
          return scala.runtime.BoxedUnit.UNIT;
        }).ref());
        session = new WatchSession(settings, groups, from, new StageFeeds(), System::nanoTime);
        scheduleWithFixedDelay(TICK, WatchSession.TICK, WatchSession.TICK);
        session.start();
        flush();
      }

      @Override
      public void onTimer(Object key) {
        if (TICK.equals(key)) {
          session.tick();
        } else {
          session.retry(((String) key).substring(RETRY.length()));
        }
        flush();
      }

      @Override
      public void postStop() {
        if (session != null) {
          session.close();
        }
        if (counted) {
          counters.active().decrementAndGet();
        }
      }

      /** Hands the client what the session has for it, or ends the stream with why the watch ended. */
      private void flush() {
        WatchEndedException ended = session.ended();
        if (ended != null) {
          failStage(ended);
          return;
        }
        if (isAvailable(out)) {
          WatchEvent next = session.next();
          if (next != null) {
            if (next instanceof WatchEvent.Changed) {
              counters.eventsSent().increment();
            }
            push(out, next);
          }
        }
      }

      private final class StageFeeds implements WatchSession.Feeds {
        @Override
        public List<String> nodesFor(String group) {
          return nodesFor.apply(group);
        }

        @Override
        public boolean pull(String node, String group, long after, long pullId, boolean atOnce) {
          ActorRef<FeedServer.Command> feed = feeds.apply(node);
          if (feed == null) {
            return false;
          }
          feed.tell(new FeedServer.Pull(group, filter, after, settings.pullMaxEvents(), settings.pullMaxBytes(),
              pullId, atOnce, replies));
          return true;
        }

        @Override
        public void cancel(String node, String group, long pullId) {
          ActorRef<FeedServer.Command> feed = feeds.apply(node);
          if (feed != null) {
            feed.tell(new FeedServer.Cancel(group, pullId, replies));
          }
        }

        @Override
        public void retryLater(String group, Duration delay) {
          scheduleOnce(RETRY + group, delay);
        }
      }
    };
  }
}
