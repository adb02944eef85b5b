package io.raftring.watch;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;

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

  /** A watch's failure as the end it reports: its own code and message, INTERNAL for anything unexpected. */
  public static WatchEndedException of(Throwable failure) {
    if (failure instanceof WatchEndedException ended) {
      return ended;
    }
    if (failure instanceof RaftRingException known) {
      return new WatchEndedException(known.code(), known.getMessage(), null);
    }
    return new WatchEndedException(ErrorCode.INTERNAL, "the watch failed: " + failure, null);
  }

  public ErrorCode code() {
    return code;
  }

  /** Where the stream stood when it ended (null if it never started). */
  public WatchPosition position() {
    return position;
  }
}
