package io.raftring.watch;

import io.raftring.api.ErrorCode;

/**
 * A watch stream ended by the server: {@code code} says why (COMPACTED: the position fell out of the history kept, read
 * again; OVERLOADED: the watcher read too slowly, or the node serves too many; NOT_READY: no replica of a group could
 * be reached), and {@link #position()} is where it stood, to resume from (except after COMPACTED).
 */
public final class WatchEndedException extends RuntimeException {

  private final ErrorCode code;
  private final transient WatchPosition position;

  public WatchEndedException(ErrorCode code, String message, WatchPosition position) {
    super(message, null, false, false);
    this.code = code;
    this.position = position;
  }

  public ErrorCode code() {
    return code;
  }

  /** Where the stream stood when it ended (null if it never started). */
  public WatchPosition position() {
    return position;
  }
}
