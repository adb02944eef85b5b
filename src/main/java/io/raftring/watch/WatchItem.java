package io.raftring.watch;

import java.util.Objects;

/**
 * An element of a stream that carries many watches ({@link WatchApi#watchAll}): one watch's event, or its end, each
 * tagged with the watch's index in the request.
 */
public sealed interface WatchItem {

  /** The watch's index in the list of watches the stream was opened with. */
  int watch();

  /** The next element of watch {@code watch}'s own stream. */
  record Event(int watch, WatchEvent event) implements WatchItem {
    public Event {
      Objects.requireNonNull(event, "event");
    }
  }

  /** Watch {@code watch} ended and sends nothing more; the others run on. */
  record End(int watch, WatchEndedException cause) implements WatchItem {
    public End {
      Objects.requireNonNull(cause, "cause");
    }
  }
}
