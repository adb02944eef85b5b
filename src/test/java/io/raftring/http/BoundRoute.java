package io.raftring.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One route bound on 127.0.0.1 at a free port, and a client for it: for route tests over fakes. */
final class BoundRoute implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final ServerBinding binding;

  private BoundRoute(ServerBinding binding) {
    this.binding = binding;
  }

  static BoundRoute bind(ActorTestKit kit, Route route) throws Exception {
    return new BoundRoute(Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(route)
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  /** Sends {@code method path} without a body and returns the answer as text. */
  HttpResponse<String> send(String method, String path) throws Exception {
    return send(method, path, null);
  }

  /** Sends {@code method path} with {@code body} (none if null) and returns the answer as text. */
  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Opens a WebSocket to {@code path}. */
  WebSocketLines webSocket(String path) throws Exception {
    return WebSocketLines.open(URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + path));
  }

  /** Sends bytes on a fresh socket as they are and returns the answer ({@link TestServer#raw(int, String, byte[])}). */
  String raw(String requestHead, byte[] bodyStart) throws Exception {
    return TestServer.raw(binding.localAddress().getPort(), requestHead, bodyStart);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  @Override
  public void close() {
    binding.unbind();
  }
}
