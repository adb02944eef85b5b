package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.admission.Admission;
import io.raftring.admission.RateLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and many clients over real sockets on loopback: a slow upload holds neither an admission slot nor more than
 * its share of the body budget, and not for longer than the body read timeout. Every wait is bounded by a socket
 * read timeout.
 */
class SlowClientsTest {

  private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

  private TestServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(ReadLimits reads, int maxInFlight, int maxQueued) throws Exception {
    Admission admission = new Admission(new Admission.Settings(
        maxInFlight, maxQueued, Duration.ofMillis(100), RateLimits.Limits.unlimited(), 100));
    server = new TestServer(TestServer.SETTINGS.withReads(reads), admission);
  }

  /** Opens a connection and sends {@code head} and then {@code bodyStart}, and nothing more for now. */
  private Socket send(String head, byte[] bodyStart) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.binding.localAddress().getPort());
    sockets.add(socket);
    socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
    socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().write(bodyStart);
    socket.getOutputStream().flush();
    return socket;
  }

  private static String slowPut(String key) {
    return "PUT /v1/kv/" + key + "?timeout=15s HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n";
  }

  /** Everything the server sends until it closes the connection (or the socket timeout, which fails the test). */
  private static String readUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        answer.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open past " + SOCKET_TIMEOUT_MILLIS
          + " ms; it sent: " + answer.toString(StandardCharsets.UTF_8), e);
    } catch (java.net.SocketException reset) {
      // closed with a reset: what arrived before counts
    }
    return answer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void slowUploadsHoldNoAdmissionSlotSoReadsAreStillServed() throws Exception {
    start(ReadLimits.DEFAULT.withBodyReadTimeout(Duration.ofMillis(1500)), 2, 1);
    // Issue 14: PUTs that send 2 of their 10 body bytes held every slot, so even stale reads got 503 for 15 s.
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      slow.add(send(slowPut("slow-" + i), "ab".getBytes(StandardCharsets.US_ASCII)));
    }
    for (int i = 0; i < 5; i++) {
      TestServer.assertError(server.get("/v1/kv/k?consistency=stale"), 404, "NOT_FOUND");
    }
    for (Socket socket : slow) {
      String answer = readUntilClosed(socket);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"REQUEST_TIMEOUT\"");
    }
    assertThat(server.kv.snapshot()).as("no slow upload was written").isEmpty();
  }

  @Test
  void uploadsBeyondTheBodyBudgetAreRefusedAtOnce() throws Exception {
    start(ReadLimits.DEFAULT.withBodyReadTimeout(Duration.ofSeconds(30)).withMaxBufferedBodyBytes(25), 64, 64);
    send(slowPut("a"), "ab".getBytes(StandardCharsets.US_ASCII));
    send(slowPut("b"), "ab".getBytes(StandardCharsets.US_ASCII));
    // Two bodies of 10 declared bytes hold 20 of the 25; a third does not fit.
    server.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertThat(server.metrics.scrape()).contains("raftring_http_request_body_bytes 20");
      return null;
    });
    String refused = readUntilClosedOrAnswered(send(slowPut("c"), "ab".getBytes(StandardCharsets.US_ASCII)));
    assertThat(refused).startsWith("HTTP/1.1 503").contains("\"error\":\"OVERLOADED\"")
        .contains("raftring.http.max-buffered-body-bytes").contains("Retry-After");
    var small = server.send("PUT", "/v1/kv/small", "v".getBytes(StandardCharsets.UTF_8));
    assertThat(small.statusCode()).as("a body that came with its head needs no reservation").isEqualTo(200);
  }

  /** The answer to one request, read until its JSON body ends. */
  private static String readUntilClosedOrAnswered(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      answer.write(buf, 0, n);
      String sofar = answer.toString(StandardCharsets.UTF_8);
      if (sofar.contains("\r\n\r\n") && sofar.trim().endsWith("}")) {
        break;
      }
    }
    return answer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aHeadDribbledByteByByteIsCutOffAtTheHeadDeadline() throws Exception {
    start(ReadLimits.DEFAULT.withRequestHeadTimeout(Duration.ofMillis(800)), 64, 64);
    Socket socket = send("GET /health/alive HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", new byte[0]);
    Thread dribbler = new Thread(() -> {
      try {
        for (int i = 0; i < 100; i++) { // at most 10 s of one byte every 100 ms
          socket.getOutputStream().write('a');
          socket.getOutputStream().flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException closed) {
        // the server closed the connection: what the test waits for
      }
    }, "dribbler");
    dribbler.setDaemon(true);
    long start = System.nanoTime();
    dribbler.start();
    String answer = readUntilClosed(socket);
    dribbler.interrupt();
    assertThat(answer).as("no answer to a request whose head never ended").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed long before the dribble would end")
        .isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void idleConnectionsUpToTheLimitAreClosedSoANewClientIsServed() throws Exception {
    start(ReadLimits.DEFAULT.withMaxConnections(4).withRequestHeadTimeout(Duration.ofMillis(800)), 64, 64);
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      idle.add(send("", new byte[0]));
    }
    // Issue 14: connections that never send anything held every connection slot until the 60 s idle timeout.
    String answer = readUntilClosedOrAnswered(
        send("GET /health/alive HTTP/1.1\r\nHost: localhost\r\n\r\n", new byte[0]));
    assertThat(answer).startsWith("HTTP/1.1 200");
    for (Socket socket : idle) {
      assertThat(readUntilClosed(socket)).as("an idle connection is closed without an answer").isEmpty();
    }
  }

  @Test
  void aRequestBeingWorkedOnIsNotCutByTheHeadDeadline() throws Exception {
    start(ReadLimits.DEFAULT.withRequestHeadTimeout(Duration.ofMillis(300)), 64, 64);
    server.kv.hang = true;
    String answer = readUntilClosedOrAnswered(
        send("GET /v1/kv/k?timeout=1500ms HTTP/1.1\r\nHost: localhost\r\n\r\n", new byte[0]));
    assertThat(answer).startsWith("HTTP/1.1 504").contains("\"TIMEOUT\"");
  }
}
