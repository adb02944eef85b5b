package io.raftring.bft;

/** A valid run that did not finish, e.g. because it exceeded its timeout. */
public final class BftRunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BftRunFailedException(String message) {
    super(message);
  }
}
