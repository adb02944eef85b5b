package io.raftring.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for route tests (the JDK's): sends text or binary messages, and takes the server's as JSON. */
final class WebSocketLines implements AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  private WebSocketLines(URI uri) throws Exception {
    this.socket = CLIENT.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          received.add(partial.toString());
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
  }

  static WebSocketLines open(URI uri) throws Exception {
    return new WebSocketLines(uri);
  }

  WebSocketLines send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    return this;
  }

  /** Sends one text message as several frames, which the server reads as a streamed message. */
  WebSocketLines sendInParts(String... parts) throws Exception {
    for (int i = 0; i < parts.length; i++) {
      socket.sendText(parts[i], i == parts.length - 1).get(10, TimeUnit.SECONDS);
    }
    return this;
  }

  WebSocketLines sendBinary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    return this;
  }

  /** The server's next message as JSON; fails when none comes within 10 s. */
  JsonNode next() throws Exception {
    String text = received.poll(10, TimeUnit.SECONDS);
    if (text == null) {
      throw new AssertionError("no message from the server within 10 s");
    }
    return Json.MAPPER.readTree(text);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
