package io.raftring.kv;

import java.util.Objects;

/**
 * A request the KV layer refuses before it is proposed, with a stable {@link KvErrorCode}. Thrown by {@link KvLimits}
 * and by the constructors of commands and queries, so a bad request never reaches the Raft log and changes nothing.
 */
public final class KvValidationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final KvErrorCode code;

  public KvValidationException(KvErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  static KvValidationException badRequest(String message) {
    return new KvValidationException(KvErrorCode.BAD_REQUEST, message);
  }

  static KvValidationException tooLarge(String message) {
    return new KvValidationException(KvErrorCode.TOO_LARGE, message);
  }

  public KvErrorCode code() {
    return code;
  }
}
