package io.raftring.bench;

/**
 * How one operation ended. {@link Kind#OK}, {@link Kind#NOT_FOUND} (a read of an absent key) and
 * {@link Kind#CONFLICT} (a compare-and-set whose condition did not hold) are answers the store gave on purpose: their
 * latency is recorded. {@link Kind#ERROR} carries a stable code from {@link ErrorClassifier} and is only counted.
 *
 * @param modRevision the key's mod revision when the answer said it (0: absent or unknown)
 */
public record Outcome(Kind kind, String errorCode, long modRevision) {

  public enum Kind {
    OK,
    NOT_FOUND,
    CONFLICT,
    ERROR
  }

  public static final Outcome OK = new Outcome(Kind.OK, null, 0);
  public static final Outcome NOT_FOUND = new Outcome(Kind.NOT_FOUND, null, 0);
  public static final Outcome CONFLICT = new Outcome(Kind.CONFLICT, null, 0);

  public static Outcome ok(long modRevision) {
    return new Outcome(Kind.OK, null, modRevision);
  }

  public static Outcome error(String code) {
    return new Outcome(Kind.ERROR, code, 0);
  }

  public boolean isError() {
    return kind == Kind.ERROR;
  }
}
