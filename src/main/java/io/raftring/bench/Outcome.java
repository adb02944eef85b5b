package io.raftring.bench;

/**
 * How one operation ended. {@link Kind#OK}, {@link Kind#NOT_FOUND} (a read of an absent key) and
 * {@link Kind#CONFLICT} (a compare-and-set whose condition did not hold) are answers the store gave on purpose: their
 * latency is recorded. {@link Kind#ERROR} carries a stable code from {@link ErrorClassifier} and is only counted.
 *
 * @param modRevision the key's mod revision when the answer said it (0: absent or unknown)
 * @param detail for errors, what the answer or the exception said (shortened), else null
 */
public record Outcome(Kind kind, String errorCode, long modRevision, String detail) {

  public enum Kind {
    OK,
    NOT_FOUND,
    CONFLICT,
    ERROR
  }

  public static final Outcome OK = new Outcome(Kind.OK, null, 0, null);
  public static final Outcome NOT_FOUND = new Outcome(Kind.NOT_FOUND, null, 0, null);
  public static final Outcome CONFLICT = new Outcome(Kind.CONFLICT, null, 0, null);

  public static Outcome ok(long modRevision) {
    return new Outcome(Kind.OK, null, modRevision, null);
  }

  public static Outcome error(String code) {
    return new Outcome(Kind.ERROR, code, 0, null);
  }

  public static Outcome error(String code, String detail) {
    return new Outcome(Kind.ERROR, code, 0, shorten(detail));
  }

  /** A request that got no answer, classified by {@link ErrorClassifier#fromThrowable}. */
  public static Outcome failed(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && (cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException)) {
      cause = cause.getCause();
    }
    return error(ErrorClassifier.fromThrowable(failure), cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }

  private static String shorten(String text) {
    if (text == null) {
      return null;
    }
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  public boolean isError() {
    return kind == Kind.ERROR;
  }
}
