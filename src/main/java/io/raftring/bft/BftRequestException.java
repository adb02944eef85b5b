package io.raftring.bft;

/** A run request that cannot be run as asked; the message says what is wrong (HTTP 400, CLI exit code 2). */
public final class BftRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BftRequestException(String message) {
    super(message);
  }
}
