package io.raftring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of one streaming HTTP answer of newline-delimited JSON (a watch): a thread reads its lines into a queue
 * until the server ends it or {@link #close} cuts the connection.
 */
final class NdjsonStream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Put in the queue when the stream ended, however it ended. */
  static final JsonNode END = JSON.createObjectNode().put("type", "end-of-stream");

  final int status;
  final String errorBody;
  private final InputStream body;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private NdjsonStream(HttpResponse<InputStream> response) throws IOException {
    this.status = response.statusCode();
    this.body = response.body();
    if (status != 200) {
      this.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      this.reader = null;
      return;
    }
    this.errorBody = null;
    this.reader = new Thread(this::readLines, "ndjson-reader");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  static NdjsonStream open(HttpClient http, URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    return new NdjsonStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  /** A stream answering a POST of {@code json} (many watches on one stream). */
  static NdjsonStream post(HttpClient http, URI uri, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return new NdjsonStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(JSON.readTree(line));
      }
    } catch (IOException e) {
      // Cut by close() or by the server going away: either way the stream is over.
    } finally {
      lines.add(END);
    }
  }

  /** The next line, or null if none came within {@code timeout}. */
  JsonNode next(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
