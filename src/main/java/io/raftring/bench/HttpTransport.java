package io.raftring.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;

/**
 * How the load tool sends HTTP/1.1 requests. The slot (a closed-loop client's number, an open-loop request's sequence
 * number) picks the endpoint, {@code slot mod endpoints}, so clients spread evenly over the endpoints. The future
 * fails with an IOException when no answer came (refused, timed out, connection broken).
 */
public interface HttpTransport extends AutoCloseable {

  /**
   * An answer.
   *
   * @param modRevision the X-RaftRing-Mod-Revision header, or null
   */
  record Response(int status, byte[] body, String modRevision) {}

  /** True when {@code send} does the whole exchange on the calling thread (and returns a completed future). */
  boolean blocking();

  /**
   * Sends one request.
   *
   * @param pathAndQuery e.g. {@code /v1/kv/k?consistency=stale}, already encoded
   * @param body null for none
   */
  CompletableFuture<Response> send(long slot, String method, String pathAndQuery, String contentType, byte[] body);

  /** Requests sent a second time because a kept-alive connection turned out closed (see the implementation). */
  default long retries() {
    return 0;
  }

  @Override
  void close();

  /** Throws unless the URI is http to a loopback address (127.0.0.0/8, ::1, or a name resolving only to those). */
  static URI requireLoopback(URI endpoint) {
    if (!"http".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("endpoint must be http://host:port, was " + endpoint);
    }
    String host = endpoint.getHost();
    if (host == null) {
      throw new IllegalArgumentException("endpoint has no host: " + endpoint);
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          throw new IllegalArgumentException(
              "the load tool only targets loopback addresses; " + host + " resolves to " + address.getHostAddress());
        }
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in endpoint " + endpoint, e);
    }
    return endpoint;
  }

  /** The endpoint as scheme://host:port, without a trailing slash or path. */
  static String base(URI endpoint) {
    String text = endpoint.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
