package io.raftring.watch;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Watch settings, from {@code raftring.watch} (reference.conf documents each one's unit and default).
 *
 * @param history            each group's catch-up history on each node: events, bytes, age
 * @param progressInterval   how long a quiet watch waits before it hears where the groups are
 * @param maxWatchers        watches one node serves at once
 * @param bufferEvents       events a watcher holds for a client that has not read them yet
 * @param slowWatcherTimeout how long a watcher's oldest unread event may wait before the watch is closed
 * @param pullMaxEvents      events one answer of a feed carries (whole revisions, so possibly a few more)
 * @param pullMaxBytes       bytes one answer of a feed carries (at least one event)
 * @param startTimeout       how long a new watch may take to find a replica of every group
 */
public record WatchSettings(
    GroupHistory.Limits history,
    Duration progressInterval,
    int maxWatchers,
    int bufferEvents,
    Duration slowWatcherTimeout,
    int pullMaxEvents,
    long pullMaxBytes,
    Duration startTimeout) {

  public static WatchSettings fromConfig(Config config) {
    Config w = config.getConfig("raftring.watch");
    return new WatchSettings(
        new GroupHistory.Limits(w.getInt("history-events"), w.getBytes("history-bytes"),
            w.getDuration("history-age")),
        w.getDuration("progress-interval"),
        w.getInt("max-watchers"),
        w.getInt("buffer-events"),
        w.getDuration("slow-watcher-timeout"),
        w.getInt("pull-max-events"),
        w.getBytes("pull-max-bytes"),
        w.getDuration("start-timeout"));
  }
}
