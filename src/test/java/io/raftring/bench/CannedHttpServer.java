package io.raftring.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A raw HTTP/1.1 server on loopback whose answers are exact bytes, for framing the JDK server cannot produce
 * (chunked bodies with trailers, Connection: close, no answer at all). The answer function gets the request line
 * and body; a null answer means "never answer".
 */
final class CannedHttpServer implements AutoCloseable {

  private final ServerSocket server;
  private final BiFunction<String, String, String> answer;
  private final AtomicInteger connections = new AtomicInteger();
  final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** When true, the server closes each connection right after its first answer, without saying so. */
  private final boolean closeSilently;

  CannedHttpServer(BiFunction<String, String, String> answer) throws IOException {
    this(answer, false);
  }

  CannedHttpServer(BiFunction<String, String, String> answer, boolean closeSilently) throws IOException {
    this.closeSilently = closeSilently;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.answer = answer;
    this.acceptor = new Thread(this::accept, "canned-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUri() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        Thread handler = new Thread(() -> serve(socket), "canned-http-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        requestLines.add(requestLine);
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        String response = answer.apply(requestLine, body);
        if (response == null) {
          in.read(); // hold the connection, never answer, until the client gives up
          return;
        }
        out.write(response.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (closeSilently || response.contains("Connection: close")) {
          return;
        }
      }
    } catch (IOException e) {
      // client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  static String response(int status, String reason, String headers, String body) {
    return "HTTP/1.1 " + status + " " + reason + "\r\n" + headers + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
