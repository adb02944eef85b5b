package io.raftring.api;

/** A failed request, with a stable code and a message for people. */
public final class RaftRingException extends RuntimeException {

  private final ErrorCode code;

  public RaftRingException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The RaftRingException behind {@code t} (unwrapping CompletionException and the like), or null if none. */
  public static RaftRingException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RaftRingException r) {
        return r;
      }
    }
    return null;
  }
}
