package io.raftring.watch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Many watch streams read by one thread: one non-blocking connection per stream (a watch, or many watches on one
 * {@code POST /v1/watch}), each request written once, each answer's lines handed to a consumer with the stream's
 * number. What a thousand watchers cost the load tool is then one selector thread and a parse per line, not a client
 * library's threads and buffers per stream.
 */
final class WatcherSockets implements AutoCloseable {

  private final Selector selector;
  private final List<SocketChannel> channels = new ArrayList<>();
  private final AtomicInteger ended = new AtomicInteger();
  private final Thread reader;
  private volatile boolean running = true;

  /** A stream's request: GET of a path and query, or POST of a JSON body when {@code body} is not null. */
  record Request(String target, String body) {
    static Request get(String target) {
      return new Request(target, null);
    }

    byte[] bytes(URI endpoint) {
      String host = "Host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n";
      if (body == null) {
        return ("GET " + target + " HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      }
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      byte[] head = ("POST " + target + " HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: "
          + content.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      byte[] whole = java.util.Arrays.copyOf(head, head.length + content.length);
      System.arraycopy(content, 0, whole, head.length, content.length);
      return whole;
    }
  }

  /**
   * Opens {@code requests.size()} streams of {@code endpoint}, one per request, and starts reading them; {@code lines}
   * gets (stream number, line) on the reader thread.
   */
  WatcherSockets(URI endpoint, List<Request> requests, BiConsumer<Integer, String> lines) throws IOException {
    selector = Selector.open();
    InetSocketAddress address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
    for (int i = 0; i < requests.size(); i++) {
      SocketChannel channel = SocketChannel.open(address);
      channel.socket().setTcpNoDelay(true);
      ByteBuffer out = ByteBuffer.wrap(requests.get(i).bytes(endpoint));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.configureBlocking(false);
      int stream = i;
      channel.register(selector, SelectionKey.OP_READ, new ChunkedLines(line -> lines.accept(stream, line)));
      channels.add(channel);
    }
    reader = new Thread(this::read, "watch-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Streams whose answer ended, failed or could not be read. */
  int ended() {
    return ended.get();
  }

  private void read() {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (running) {
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          ChunkedLines answer = (ChunkedLines) key.attachment();
          buffer.clear();
          int n;
          try {
            n = ((SocketChannel) key.channel()).read(buffer);
          } catch (IOException e) {
            n = -1;
          }
          if (n > 0) {
            answer.feed(buffer.array(), 0, n);
          }
          if (n < 0 || answer.done()) {
            key.cancel();
            ended.incrementAndGet();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      // the selector failed: the run reports the watches as not delivering
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SocketChannel channel : channels) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
