package io.raftring.lease;

import io.raftring.api.ErrorCode;
import java.util.Objects;

/**
 * One lease's answer to a keep-alive of several ({@link LeaseApi#keepAlive(java.util.List, java.time.Duration)}):
 * renewed with {@code remainingMillis} to live, or not, with the error that a keep-alive of it alone would have
 * failed with (NOT_FOUND for a lease that expired, was revoked or never existed; TIMEOUT, NO_QUORUM, NOT_READY when
 * its group could not answer).
 */
public record LeaseRenewal(long id, long remainingMillis, ErrorCode error, String message) {

  public LeaseRenewal {
    if ((error == null) != (message == null)) {
      throw new IllegalArgumentException("an error comes with its message, and only an error");
    }
  }

  public static LeaseRenewal renewed(long id, long remainingMillis) {
    return new LeaseRenewal(id, remainingMillis, null, null);
  }

  public static LeaseRenewal failed(long id, ErrorCode error, String message) {
    return new LeaseRenewal(id, -1, Objects.requireNonNull(error, "error"), Objects.requireNonNull(message, "message"));
  }

  public boolean renewed() {
    return error == null;
  }
}
