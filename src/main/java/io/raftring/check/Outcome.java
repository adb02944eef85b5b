package io.raftring.check;

/** How an operation ended, as far as its client knows. */
public enum Outcome {
  /** It took effect, between its invocation and its completion. */
  OK,
  /** It certainly did not take effect (a fail with an error). */
  FAIL,
  /**
   * A cas refused on its condition: it changed nothing, and it saw, at one moment between its invocation and its
   * completion, that the key did not hold the expected value. The checker places it like a read.
   */
  REFUSED,
  /** It may have taken effect at any moment after its invocation, even after the client gave up, or never. */
  INFO;

  static Outcome of(HistoryEvent completion) {
    return switch (completion.type()) {
      case OK -> OK;
      case FAIL -> completion.conditionRefused() ? REFUSED : FAIL;
      case INFO -> INFO;
      case INVOKE -> throw new IllegalArgumentException("an invocation is not an outcome");
    };
  }
}
