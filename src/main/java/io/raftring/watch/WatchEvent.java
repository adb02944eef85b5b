package io.raftring.watch;

import io.raftring.kv.KvEvent;
import java.util.Objects;

/**
 * What a watch stream carries, each with the position right after it: first {@link Created}, then every matching
 * {@link Changed} key in its group's commit order, and now and then {@link Progress} while nothing matches, so a
 * client's position stays within the history kept. Resuming from any element's position repeats nothing before it
 * and misses nothing after it.
 */
public sealed interface WatchEvent {

  WatchPosition position();

  /** The watch runs; it delivers every matching change after {@code position}. */
  record Created(WatchPosition position) implements WatchEvent {
    public Created {
      Objects.requireNonNull(position, "position");
    }
  }

  /** A key of {@code group} was put or deleted by a committed entry. */
  record Changed(KvEvent event, String group, WatchPosition position) implements WatchEvent {
    public Changed {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(position, "position");
    }
  }

  /** Nothing matched for a while; the watch has seen every group up to {@code position}. */
  record Progress(WatchPosition position) implements WatchEvent {
    public Progress {
      Objects.requireNonNull(position, "position");
    }
  }
}
