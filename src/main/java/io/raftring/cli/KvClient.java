package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The CLI's side of RaftRing's HTTP API: one request, one answer, and the mapping of failures to exit codes
 * ({@link #failureOf}) kept in one place.
 */
final class KvClient {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String APPLICATION_JSON = "application/json";

  /** A request that did not succeed, with the exit code it deserves and a message for stderr. */
  static final class Failure extends Exception {
    final int exitCode;
    /** RaftRing's error code (NOT_FOUND, CONFLICT, ...) when the server answered with one, else null. */
    final String errorCode;

    Failure(int exitCode, String message) {
      this(exitCode, message, null);
    }

    Failure(int exitCode, String message, String errorCode) {
      super(message, null, false, false);
      this.exitCode = exitCode;
      this.errorCode = errorCode;
    }
  }

  record Response(int status, Map<String, String> headers, byte[] body) {
    boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or null if it is not JSON. */
    JsonNode json() {
      try {
        return body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        return null;
      }
    }
  }

  private final URI endpoint;
  private final Duration timeout;
  private final String token;
  private final HttpClient http;

  KvClient(URI endpoint, Duration timeout) {
    this(endpoint, timeout, null, null);
  }

  /**
   * @param token bearer token sent with every request; null for none
   * @param tls   the context trusting the node's CA for https; null for the JVM's default CAs
   */
  KvClient(URI endpoint, Duration timeout, String token, SSLContext tls) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  URI endpoint() {
    return endpoint;
  }

  /** Sends {@code method} to {@code pathAndQuery} (already encoded, starting with /); any status is an answer. */
  Response send(String method, String pathAndQuery, byte[] body, String accept) throws Failure {
    return send(method, pathAndQuery, body, "application/octet-stream", accept, Map.of());
  }

  /** As above, with the body's content type. */
  Response send(String method, String pathAndQuery, byte[] body, String contentType, String accept) throws Failure {
    return send(method, pathAndQuery, body, contentType, accept, Map.of());
  }

  /** As above, with more request headers. */
  Response send(String method, String pathAndQuery, byte[] body, String accept, Map<String, String> extraHeaders)
      throws Failure {
    return send(method, pathAndQuery, body, "application/octet-stream", accept, extraHeaders);
  }

  private Response send(String method, String pathAndQuery, byte[] body, String contentType, String accept,
      Map<String, String> extraHeaders) throws Failure {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
        .timeout(timeout)
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    extraHeaders.forEach(request::header);
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
      return new Response(response.statusCode(), headers, response.body());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "cannot reach " + endpoint + ": connect timed out after " + timeout);
    } catch (HttpTimeoutException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "no answer from " + endpoint + " within " + timeout);
    } catch (ConnectException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "cannot reach " + endpoint + ": "
          + (e.getMessage() == null ? "connection refused" : e.getMessage()));
    } catch (SSLException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "TLS with " + endpoint + " failed: " + e.getMessage()
          + " (a node with a private CA needs --cacert FILE or RAFTRING_CACERT)");
    } catch (IOException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "request to " + endpoint + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(RaftRingMain.UNAVAILABLE, "interrupted");
    }
  }

  /** An answer whose body is read as it comes, line by line (a watch); close it to hang up. */
  record Streamed(int status, java.io.BufferedReader lines, java.io.InputStream body) implements AutoCloseable {
    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        // hanging up anyway
      }
    }
  }

  /** Sends {@code method} and returns the answer's body as a stream of lines; only connecting is bounded in time. */
  Streamed stream(String method, String pathAndQuery, byte[] body) throws Failure {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
        .timeout(timeout)
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<java.io.InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Streamed(response.statusCode(), new java.io.BufferedReader(
          new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8)), response.body());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "cannot reach " + endpoint + ": connect timed out after " + timeout);
    } catch (HttpTimeoutException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "no answer from " + endpoint + " within " + timeout);
    } catch (IOException e) {
      throw new Failure(RaftRingMain.UNAVAILABLE, "cannot reach " + endpoint + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(RaftRingMain.UNAVAILABLE, "interrupted");
    }
  }

  /** As {@link #send}, but anything other than 2xx becomes the {@link Failure} {@link #failureOf} says. */
  Response expectSuccess(String method, String pathAndQuery, byte[] body, String accept) throws Failure {
    return expectSuccess(method, pathAndQuery, body, accept, Map.of());
  }

  Response expectSuccess(String method, String pathAndQuery, byte[] body, String accept, Map<String, String> headers)
      throws Failure {
    Response response = send(method, pathAndQuery, body, accept, headers);
    if (!response.isSuccess()) {
      throw failureOf(response);
    }
    return response;
  }

  /**
   * As {@link #expectSuccess} for a request that may safely be sent again (a read, or a write that is idempotent):
   * when the cluster could not serve it (exit code 3: no connection, 429, 5xx), it is sent again after a pause, up to
   * {@code attempts} times in all. Other failures are thrown at once.
   */
  Response expectSuccessRetrying(String method, String pathAndQuery, byte[] body, String contentType, int attempts)
      throws Failure {
    for (int attempt = 1; ; attempt++) {
      try {
        Response response = send(method, pathAndQuery, body, contentType, APPLICATION_JSON);
        if (!response.isSuccess()) {
          throw failureOf(response);
        }
        return response;
      } catch (Failure e) {
        if (e.exitCode != RaftRingMain.UNAVAILABLE || attempt >= attempts) {
          throw e;
        }
      }
      try {
        Thread.sleep(250L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(RaftRingMain.UNAVAILABLE, "interrupted");
      }
    }
  }

  /**
   * The exit code of an error answer. RaftRing's errors are JSON {@code {"error": CODE, "message": text}}: NOT_FOUND
   * and CONFLICT are a "no" (1); BAD_REQUEST, TOO_LARGE and other 4xx mean the request was wrong (2); 429 and 5xx
   * mean the cluster could not serve it now (3). 401 UNAUTHENTICATED and 403 FORBIDDEN are 4xx: the request, or its
   * token, was wrong (2). A 404 or 409 without RaftRing's error body is not an answer from
   * RaftRing's API (wrong endpoint, proxy) and counts as a server error (3).
   */
  static Failure failureOf(Response response) {
    JsonNode json = response.json();
    String code = json != null && json.hasNonNull("error") ? json.get("error").asText() : null;
    String message = json != null && json.hasNonNull("message") ? json.get("message").asText() : null;
    String text = code != null
        ? code + (message == null ? "" : ": " + message)
        : "HTTP " + response.status() + snippet(response.text());
    int status = response.status();
    if (status == 401) {
      text += " (pass a token with --token or RAFTRING_TOKEN)";
    }
    int exit;
    if ((status == 404 && "NOT_FOUND".equals(code)) || (status == 409 && "CONFLICT".equals(code))) {
      exit = RaftRingMain.REFUSED;
    } else if (status == 404 || status == 409 || status == 429 || status >= 500 || status < 400) {
      exit = RaftRingMain.UNAVAILABLE;
    } else {
      exit = RaftRingMain.USAGE;
    }
    return new Failure(exit, text, code);
  }

  private static String snippet(String body) {
    String s = body.strip().replaceAll("\\s+", " ");
    if (s.isEmpty()) {
      return "";
    }
    return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
  }

  /** Percent-encodes a path segment or query value: everything but RFC 3986 unreserved characters, as UTF-8. */
  static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** {@code /v1/kv/<key>} with the key as one encoded path segment (a '/' in the key becomes %2F). */
  static String keyPath(String key) {
    return "/v1/kv/" + encode(key);
  }

  /** Builds {@code ?a=1&b=2} from name/value pairs, skipping null values; "" when none. */
  static String query(String... namesAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        continue;
      }
      sb.append(sb.length() == 0 ? '?' : '&')
          .append(namesAndValues[i]).append('=').append(encode(namesAndValues[i + 1]));
    }
    return sb.toString();
  }
}
