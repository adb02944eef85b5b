package io.raftring.watch;

import java.util.Objects;

/**
 * One watch of a stream that carries many: which keys, and where it resumes.
 *
 * @param filter the keys watched
 * @param from   the position to resume after, or null to start now
 */
public record WatchSpec(WatchFilter filter, WatchPosition from) {

  public WatchSpec {
    Objects.requireNonNull(filter, "filter");
  }
}
