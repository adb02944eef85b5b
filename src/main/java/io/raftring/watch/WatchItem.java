package io.raftring.watch;

import java.util.Objects;

/**
 * An element of a stream that carries many watches: one watch's event, or its end, each tagged with the watch's index
 * in the request ({@link WatchApi#watchAll}) or with the id its client knows it by ({@link WatchApi#watchStream}, which
 * also answers a cancel with {@link Canceled} and a command it refuses with {@link Refused}).
 */
public sealed interface WatchItem {

  /** {@link #watch()} of an element that is about no one watch. */
  int NO_WATCH = -1;

  /** The watch's index in the list of watches the stream was opened with, or its id on an interactive stream. */
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

  /** Watch {@code watch} was cancelled by its client, as asked: nothing more comes for it. */
  record Canceled(int watch) implements WatchItem {}

  /** A client's command was refused ({@code message} says why) and changed nothing; it names no watch. */
  record Refused(String message) implements WatchItem {
    public Refused {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public int watch() {
      return NO_WATCH;
    }
  }
}
