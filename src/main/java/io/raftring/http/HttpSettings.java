package io.raftring.http;

import com.typesafe.config.Config;
import io.raftring.kv.KvLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the HTTP edge, from {@code raftring.http} (see reference.conf for each one's unit and default).
 *
 * @param host                interface to bind
 * @param port                port to bind; 0 picks a free one
 * @param requestTimeout      deadline of a request without {@code ?timeout=}, passed to every KvApi call
 * @param maxRequestTimeout   the longest {@code ?timeout=} accepted
 * @param limits              key and value size limits, checked before anything reaches the API
 * @param retryAfter          what Retry-After says on 429 RATE_LIMITED and 503 OVERLOADED answers
 * @param terminationDeadline how long shutdown lets in-flight requests finish after unbinding
 * @param reads               what clients can make the node read and hold: connections, read deadlines, body bytes
 * @param json                bounds on JSON request bodies
 * @param trustedProxies      proxies whose X-Forwarded-For / X-Real-IP name the client ({@link ClientAddress})
 */
public record HttpSettings(
    String host,
    int port,
    Duration requestTimeout,
    Duration maxRequestTimeout,
    KvLimits limits,
    Duration retryAfter,
    Duration terminationDeadline,
    ReadLimits reads,
    JsonLimits json,
    TrustedProxies trustedProxies) {

  /** The defaults of reference.conf for what is not given. */
  public HttpSettings(String host, int port, Duration requestTimeout, Duration maxRequestTimeout, KvLimits limits,
      Duration retryAfter, Duration terminationDeadline) {
    this(host, port, requestTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        ReadLimits.DEFAULT, JsonLimits.DEFAULT, TrustedProxies.NONE);
  }

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(reads, "reads");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("raftring.http.port must be 0..65535, was " + port);
    }
    requirePositive(requestTimeout, "request-timeout");
    requirePositive(maxRequestTimeout, "max-request-timeout");
    requirePositive(retryAfter, "retry-after");
    requirePositive(terminationDeadline, "termination-deadline");
    if (requestTimeout.compareTo(maxRequestTimeout) > 0) {
      throw new IllegalArgumentException("raftring.http.request-timeout must not exceed max-request-timeout");
    }
  }

  /** Reads {@code raftring.http.*} and the size limits {@code raftring.kv.*} from a node's whole configuration (e.g. {@code system.settings().config()}). */
  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("raftring.http");
    // Size limits are the store's (raftring.kv), shared with the Java API, not the endpoint's own.
    long maxValueBytes = config.getBytes("raftring.kv.max-value-bytes");
    long maxKeyBytes = config.getBytes("raftring.kv.max-key-bytes");
    if (maxValueBytes > Integer.MAX_VALUE - 1024 || maxKeyBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("raftring.kv.max-value-bytes / max-key-bytes are too large");
    }
    return new HttpSettings(
        http.getString("host"),
        http.getInt("port"),
        http.getDuration("request-timeout"),
        http.getDuration("max-request-timeout"),
        new KvLimits((int) maxKeyBytes, (int) maxValueBytes),
        http.getDuration("retry-after"),
        http.getDuration("termination-deadline"),
        ReadLimits.fromConfig(http),
        JsonLimits.fromConfig(http.getConfig("json")),
        TrustedProxies.of(http.getStringList("trusted-proxies")));
  }

  public HttpSettings withPort(int newPort) {
    return new HttpSettings(host, newPort, requestTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        reads, json, trustedProxies);
  }

  public HttpSettings withLimits(KvLimits newLimits) {
    return new HttpSettings(host, port, requestTimeout, maxRequestTimeout, newLimits, retryAfter, terminationDeadline,
        reads, json, trustedProxies);
  }

  public HttpSettings withRequestTimeout(Duration newTimeout) {
    return new HttpSettings(host, port, newTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        reads, json, trustedProxies);
  }

  public HttpSettings withReads(ReadLimits newReads) {
    return new HttpSettings(host, port, requestTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        newReads, json, trustedProxies);
  }

  public HttpSettings withTrustedProxies(TrustedProxies newProxies) {
    return new HttpSettings(host, port, requestTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        reads, json, newProxies);
  }

  public HttpSettings withJson(JsonLimits newJson) {
    return new HttpSettings(host, port, requestTimeout, maxRequestTimeout, limits, retryAfter, terminationDeadline,
        reads, newJson, trustedProxies);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("raftring.http." + name + " must be positive, was " + d);
    }
  }
}
