package io.raftring.api;

/** A failed request, with a stable code and a message for people. */
public final class RaftRingException extends RuntimeException {

  private final ErrorCode code;
  private final String txnId;

  public RaftRingException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** A failure concerning transaction {@code txnId} (a conflict with it, or a transaction whose outcome is unknown). */
  public RaftRingException(ErrorCode code, String message, String txnId) {
    super(message, null, false, false);
    this.code = code;
    this.txnId = txnId;
  }

  public ErrorCode code() {
    return code;
  }

  /** The transaction this failure concerns, or null. */
  public String txnId() {
    return txnId;
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
