package io.raftring.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * What clients together can make a node read and hold, so that slow or many clients cannot starve it
 * ({@code raftring.http}, see reference.conf for units and defaults).
 *
 * @param maxConnections        connections served at once; more wait in the accept queue ({@code max-connections})
 * @param requestHeadTimeout    how long a connection may take, from being opened or from its previous answer, to
 *                              deliver a complete request head; idle connections close after it too
 *                              ({@code request-head-timeout})
 * @param bodyReadTimeout       how long a route waits for a request body to arrive in full ({@code body-read-timeout})
 * @param maxBufferedBodyBytes  request bodies being read into memory, all connections together
 *                              ({@code max-buffered-body-bytes})
 */
public record ReadLimits(
    int maxConnections, Duration requestHeadTimeout, Duration bodyReadTimeout, long maxBufferedBodyBytes) {

  /** The reference.conf defaults. */
  public static final ReadLimits DEFAULT =
      new ReadLimits(1024, Duration.ofSeconds(10), Duration.ofSeconds(10), 128L << 20);

  public ReadLimits {
    Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
    Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
    if (maxConnections < 1 || maxBufferedBodyBytes < 1
        || notPositive(requestHeadTimeout) || notPositive(bodyReadTimeout)) {
      throw new IllegalArgumentException("raftring.http.max-connections, max-buffered-body-bytes,"
          + " request-head-timeout and body-read-timeout must be positive");
    }
  }

  private static boolean notPositive(Duration d) {
    return d.isNegative() || d.isZero();
  }

  static ReadLimits fromConfig(Config http) {
    return new ReadLimits(
        http.getInt("max-connections"),
        http.getDuration("request-head-timeout"),
        http.getDuration("body-read-timeout"),
        http.getBytes("max-buffered-body-bytes"));
  }

  public ReadLimits withMaxConnections(int n) {
    return new ReadLimits(n, requestHeadTimeout, bodyReadTimeout, maxBufferedBodyBytes);
  }

  public ReadLimits withRequestHeadTimeout(Duration d) {
    return new ReadLimits(maxConnections, d, bodyReadTimeout, maxBufferedBodyBytes);
  }

  public ReadLimits withBodyReadTimeout(Duration d) {
    return new ReadLimits(maxConnections, requestHeadTimeout, d, maxBufferedBodyBytes);
  }

  public ReadLimits withMaxBufferedBodyBytes(long bytes) {
    return new ReadLimits(maxConnections, requestHeadTimeout, bodyReadTimeout, bytes);
  }
}
