package io.raftring.check;

/** How an operation ended, as far as its client knows. */
public enum Outcome {
  /** It took effect, between its invocation and its completion. */
  OK,
  /** It certainly did not take effect. */
  FAIL,
  /** It may have taken effect at any moment after its invocation, even after the client gave up, or never. */
  INFO;

  static Outcome of(EventType completion) {
    return switch (completion) {
      case OK -> OK;
      case FAIL -> FAIL;
      case INFO -> INFO;
      case INVOKE -> throw new IllegalArgumentException("an invocation is not an outcome");
    };
  }
}
