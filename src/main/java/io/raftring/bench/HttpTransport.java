package io.raftring.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of {@link HttpClient}s (HTTP/1.1, keep-alive) sharing a few completion threads. A request's "slot"
 * (a closed-loop client's number, an open-loop request's sequence number) picks both its endpoint and its client, so
 * clients spread evenly over the endpoints. Each HttpClient has one selector thread; on a 2-core machine one or two
 * clients with two completion threads keep up with tens of thousands of requests a second (see bench/README.md).
 *
 * <p>Only loopback endpoints are accepted: this tool is for local clusters.
 */
public final class HttpTransport implements AutoCloseable {

  private final List<URI> endpoints;
  private final HttpClient[] clients;
  private final ExecutorService executor;
  private final Duration requestTimeout;

  public HttpTransport(List<URI> endpoints, int clientCount, int threads, Duration requestTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    endpoints.forEach(HttpTransport::requireLoopback);
    this.endpoints = List.copyOf(endpoints);
    this.requestTimeout = requestTimeout;
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "bench-http-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.clients = new HttpClient[clientCount];
    for (int i = 0; i < clientCount; i++) {
      clients[i] =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(requestTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(executor)
              .build();
    }
  }

  /** Throws unless the URI is http(s) to a loopback address (127.0.0.0/8, ::1, or a name resolving to one). */
  public static URI requireLoopback(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
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

  /** The endpoint's base, without a trailing slash, for the given slot. */
  public String base(long slot) {
    String base = endpoints.get((int) Math.floorMod(slot, (long) endpoints.size())).toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public int endpointCount() {
    return endpoints.size();
  }

  public HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout);
  }

  public CompletableFuture<HttpResponse<byte[]>> send(long slot, HttpRequest request) {
    HttpClient client = clients[(int) Math.floorMod(slot / endpoints.size(), (long) clients.length)];
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
