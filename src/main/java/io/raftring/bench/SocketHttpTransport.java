package io.raftring.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A lean blocking HTTP/1.1 client: one keep-alive connection per thread and endpoint, a request written in one
 * {@code write}, TCP_NODELAY, the answer read through a buffer (Content-Length or chunked). The exchange runs on the
 * calling thread, so the closed loop gives each client a thread and the open loop a pool of senders. It costs a few
 * tens of microseconds of CPU per request, where {@code java.net.http} costs hundreds; on a 2-core machine shared
 * with the server that difference is the server's throughput.
 *
 * <p>The request timeout bounds connecting and every read (the socket timeout is set to what is left of it before
 * each read). A connection that failed in any way is closed, never reused. A connection idle for more than a second
 * is checked before reuse (a 1 ms read: end-of-stream means the server closed it). A request is retried once, on a
 * new connection, only when it went out on a reused connection that the server turned out to have closed before
 * answering a single byte (the keep-alive race every HTTP/1.1 client handles); such retries are counted
 * ({@link #retries()}) and reported.
 */
public final class SocketHttpTransport implements HttpTransport {


  private final List<URI> endpoints;
  private final String[] hostHeaders;
  private final InetSocketAddress[] addresses;
  private final int timeoutMillis;
  private final ThreadLocal<Connection[]> connections;
  private final List<Connection> opened = new ArrayList<>();
  private final java.util.concurrent.atomic.LongAdder retries = new java.util.concurrent.atomic.LongAdder();

  public SocketHttpTransport(List<URI> endpoints, Duration requestTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    endpoints.forEach(HttpTransport::requireLoopback);
    this.endpoints = List.copyOf(endpoints);
    this.addresses = new InetSocketAddress[endpoints.size()];
    this.hostHeaders = new String[endpoints.size()];
    for (int i = 0; i < endpoints.size(); i++) {
      URI uri = endpoints.get(i);
      int port = uri.getPort() < 0 ? 80 : uri.getPort();
      addresses[i] = new InetSocketAddress(uri.getHost(), port);
      hostHeaders[i] = uri.getHost() + ":" + port;
    }
    this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
    this.connections = ThreadLocal.withInitial(() -> new Connection[this.endpoints.size()]);
  }

  @Override
  public boolean blocking() {
    return true;
  }

  @Override
  public long retries() {
    return retries.sum();
  }

  @Override
  public CompletableFuture<Response> send(long slot, String method, String pathAndQuery, String contentType, byte[] body) {
    int endpoint = (int) Math.floorMod(slot, (long) endpoints.size());
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    byte[] request = request(endpoint, method, pathAndQuery, contentType, body);
    try {
      try {
        return CompletableFuture.completedFuture(exchange(endpoint, request, deadline));
      } catch (ClosedBeforeAnswer e) {
        retries.increment();
        return CompletableFuture.completedFuture(exchange(endpoint, request, deadline));
      }
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e instanceof ClosedBeforeAnswer ? e.getCause() : e);
    }
  }

  /** One exchange on this thread's connection to the endpoint (opened if need be); closes it on any failure. */
  private Response exchange(int endpoint, byte[] request, long deadline) throws IOException {
    Connection[] mine = connections.get();
    Connection connection = mine[endpoint];
    if (connection != null && connection.isStale()) {
      discard(mine, endpoint);
      connection = null;
    }
    boolean reused = connection != null;
    if (connection == null) {
      connection = connect(endpoint);
      mine[endpoint] = connection;
    }
    try {
      Response response = connection.exchange(request, deadline);
      if (connection.closeAfter) {
        discard(mine, endpoint);
      }
      return response;
    } catch (IOException | RuntimeException e) {
      boolean nothingAnswered = connection.bytesOfAnswer == 0;
      discard(mine, endpoint);
      if (reused && nothingAnswered && e instanceof IOException && !(e instanceof SocketTimeoutException)) {
        throw new ClosedBeforeAnswer(e);
      }
      throw e;
    }
  }

  private void discard(Connection[] mine, int endpoint) {
    Connection connection = mine[endpoint];
    mine[endpoint] = null;
    if (connection != null) {
      connection.close();
      synchronized (opened) {
        opened.remove(connection);
      }
    }
  }

  /** A reused connection turned out closed by the server before it answered anything. */
  private static final class ClosedBeforeAnswer extends IOException {
    ClosedBeforeAnswer(Throwable cause) {
      super(cause);
    }
  }

  private Connection connect(int endpoint) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(addresses[endpoint], timeoutMillis);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw (ConnectException) new ConnectException("connect timed out to " + addresses[endpoint]).initCause(e);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    Connection connection = new Connection(socket);
    synchronized (opened) {
      opened.add(connection);
    }
    return connection;
  }

  private byte[] request(int endpoint, String method, String pathAndQuery, String contentType, byte[] body) {
    StringBuilder head = new StringBuilder(128)
        .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ").append(hostHeaders[endpoint])
        .append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    int length = body == null ? 0 : body.length;
    if (body != null || !method.equals("GET")) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[headBytes.length + length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    if (length > 0) {
      System.arraycopy(body, 0, request, headBytes.length, length);
    }
    return request;
  }

  @Override
  public void close() {
    synchronized (opened) {
      opened.forEach(Connection::close);
      opened.clear();
    }
  }

  /** One keep-alive connection, used by one thread at a time. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);
    boolean closeAfter;
    private long lastUsedNanos = System.nanoTime();
    /** Bytes of the current answer read so far (0: the server has said nothing yet). */
    long bytesOfAnswer;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** True when, after more than a second idle, the server turns out to have closed the connection (or sent junk). */
    boolean isStale() {
      if (System.nanoTime() - lastUsedNanos < 1_000_000_000L) {
        return false;
      }
      try {
        if (in.available() > 0) {
          return true;
        }
        socket.setSoTimeout(1);
        in.read(); // returns only with a byte (unexpected) or -1 (closed by the server): unusable either way
        return true;
      } catch (SocketTimeoutException e) {
        return false; // nothing to read: still open
      } catch (IOException e) {
        return true;
      }
    }

    Response exchange(byte[] request, long deadlineNanos) throws IOException {
      lastUsedNanos = System.nanoTime();
      bytesOfAnswer = 0;
      out.write(request);
      out.flush();
      int status;
      long contentLength;
      boolean chunked;
      String modRevision;
      do {
        setTimeout(deadlineNanos);
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) {
          throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        contentLength = -1;
        chunked = false;
        modRevision = null;
        closeAfter = statusLine.startsWith("HTTP/1.0");
        String header;
        while (!(header = readLine()).isEmpty()) {
          int colon = header.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = header.substring(colon + 1).trim();
          switch (name) {
            case "content-length" -> contentLength = Long.parseLong(value);
            case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "connection" -> closeAfter = value.equalsIgnoreCase("close");
            case "x-raftring-mod-revision" -> modRevision = value;
            default -> { }
          }
        }
      } while (status >= 100 && status < 200);
      byte[] body;
      if (chunked) {
        body = readChunked(deadlineNanos);
      } else if (contentLength >= 0) {
        body = readFixed((int) contentLength, deadlineNanos);
      } else if (status == 204 || status == 304) {
        body = new byte[0];
      } else {
        body = readToEnd(deadlineNanos);
        closeAfter = true;
      }
      lastUsedNanos = System.nanoTime();
      return new Response(status, body, modRevision);
    }

    private void setTimeout(long deadlineNanos) throws IOException {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new SocketTimeoutException("request timed out");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
    }

    private String readLine() throws IOException {
      line.setLength(0);
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed by the server");
        }
        bytesOfAnswer++;
        if (b == '\n') {
          int end = line.length();
          if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
          }
          return line.toString();
        }
        if (line.length() > 16 * 1024) {
          throw new IOException("header line too long");
        }
        line.append((char) b);
      }
    }

    private byte[] readFixed(int length, long deadlineNanos) throws IOException {
      byte[] body = new byte[length];
      int read = 0;
      while (read < length) {
        if (in.available() == 0) {
          setTimeout(deadlineNanos);
        }
        int n = in.read(body, read, length - read);
        if (n < 0) {
          throw new EOFException("connection closed in the middle of a body");
        }
        read += n;
      }
      return body;
    }

    private byte[] readChunked(long deadlineNanos) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        setTimeout(deadlineNanos);
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          // Trailers (etcd's gateway sends Grpc-Trailer-Content-Type), then the blank line.
          while (!readLine().isEmpty()) {
            // skip
          }
          return body.toByteArray();
        }
        body.write(readFixed(size, deadlineNanos));
        if (!readLine().isEmpty()) {
          throw new IOException("bad chunk terminator");
        }
      }
    }

    private byte[] readToEnd(long deadlineNanos) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (true) {
        setTimeout(deadlineNanos);
        int n = in.read(buffer);
        if (n < 0) {
          return body.toByteArray();
        }
        body.write(buffer, 0, n);
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

}
