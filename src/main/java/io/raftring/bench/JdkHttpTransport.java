package io.raftring.bench;

import java.net.URI;
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
 * {@link HttpTransport} over {@code java.net.http}: a small pool of HttpClients (HTTP/1.1, keep-alive) sharing a few
 * completion threads; requests are asynchronous. Measured on the 2-core machine it costs several hundred
 * microseconds of CPU per request (selector thread, executor hand-offs, C2 compiling a large code path), several
 * times the {@link SocketHttpTransport}; kept as {@code --http-client jdk} for comparison.
 */
public final class JdkHttpTransport implements HttpTransport {

  private final List<URI> endpoints;
  private final String[] bases;
  private final HttpClient[] clients;
  private final ExecutorService executor;
  private final Duration requestTimeout;

  public JdkHttpTransport(List<URI> endpoints, int clientCount, int threads, Duration requestTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    endpoints.forEach(HttpTransport::requireLoopback);
    this.endpoints = List.copyOf(endpoints);
    this.bases = this.endpoints.stream().map(HttpTransport::base).toArray(String[]::new);
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

  @Override
  public boolean blocking() {
    return false;
  }

  @Override
  public CompletableFuture<Response> send(long slot, String method, String pathAndQuery, String contentType, byte[] body) {
    int endpoint = (int) Math.floorMod(slot, (long) endpoints.size());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bases[endpoint] + pathAndQuery)).timeout(requestTimeout);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpClient client = clients[(int) Math.floorMod(slot / endpoints.size(), (long) clients.length)];
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(response -> new Response(
            response.statusCode(),
            response.body(),
            response.headers().firstValue(RaftRingTarget.MOD_REVISION_HEADER).orElse(null)));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
