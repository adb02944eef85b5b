package io.raftring.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.check.HistoryRecorder;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * The KV HTTP API as a test client sees it, with each answer classified the way a history needs it: {@code OK},
 * {@code REFUSED} (a cas whose condition did not hold), {@code FAIL} (certainly not applied, for a cause) or
 * {@code INFO} (unknown).
 *
 * <p>Writes (put, cas, delete) are refused on 409 CONFLICT, and fail only on answers that prove nothing was applied:
 * a 4xx refusal before the store, and 503 NO_QUORUM / OVERLOADED / NOT_READY (the router answers NO_QUORUM only when
 * no leader ever took the proposal: it retries only after NOT_LEADER, and reports TIMEOUT once a leader may have
 * appended it), and a connection that was never made. A 504 TIMEOUT, a 500, another 503, a connection error or a
 * client-side timeout is {@code INFO}. A read that did not answer 200 or 404 is {@code FAIL}: reads change nothing.
 * {@link Result#recordWrite} and {@link Result#recordRead} put an answer into a history, every fail with its cause.
 */
public final class KvClient {

  public enum Kind { OK, REFUSED, FAIL, INFO }

  /** How one request ended; {@code value} is a read's value ({@code null} = absent). */
  public record Result(Kind kind, int status, String errorCode, String value) {
    static Result info(String why) {
      return new Result(Kind.INFO, -1, why, null);
    }

    /** Why it did not end OK: {@code "503 NO_QUORUM"}, or the client-side exception, e.g. {@code ConnectException}. */
    public String cause() {
      return status > 0 ? status + " " + errorCode : errorCode;
    }

    /** Records how a write (put, cas, delete) ended: ok, refused on its condition, fail with its cause, or info. */
    public void recordWrite(HistoryRecorder history, int process) {
      switch (kind) {
        case OK -> history.ok(process);
        case REFUSED -> history.refused(process);
        case FAIL -> history.fail(process, cause());
        case INFO -> history.info(process, cause());
      }
    }

    /** Records how a read ended: ok with its value, or fail with its cause. */
    public void recordRead(HistoryRecorder history, int process) {
      if (kind == Kind.OK) {
        history.okRead(process, value);
      } else {
        history.fail(process, cause());
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NOT_APPLIED_503 = Set.of("NO_QUORUM", "OVERLOADED", "NOT_READY");

  private final NodeCluster cluster;
  private final HttpClient http;
  private final Duration timeout;

  /** @param timeout the server-side deadline ({@code ?timeout=}); the client waits a second longer */
  public KvClient(NodeCluster cluster, Duration timeout) {
    this.cluster = cluster;
    this.http = cluster.http();
    this.timeout = timeout;
  }

  public Result put(NodeCluster.Node node, String key, String value) {
    return write(node, "PUT", key, "", value);
  }

  /** Puts {@code value} only if the key holds {@code expected} ({@code null}: only if absent). */
  public Result cas(NodeCluster.Node node, String key, String expected, String value) {
    String condition = expected == null ? "&prev_revision=0" : "&prev_value=" + encode(expected);
    return write(node, "PUT", key, condition, value);
  }

  public Result delete(NodeCluster.Node node, String key) {
    return write(node, "DELETE", key, "", null);
  }

  /** A read at {@code consistency} (linearizable, lease or stale). */
  public Result read(NodeCluster.Node node, String key, String consistency) {
    HttpRequest request = HttpRequest.newBuilder(cluster.uri(node, path(key) + "?consistency=" + consistency
            + "&timeout=" + timeout.toMillis() + "ms"))
        .timeout(timeout.plusSeconds(1)).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Result(Kind.FAIL, -1, e.getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Kind.FAIL, -1, "interrupted", null);
    }
    int status = response.statusCode();
    if (status == 200) {
      return new Result(Kind.OK, 200, null, response.body());
    }
    String code = errorCode(response.body());
    if (status == 404 && "NOT_FOUND".equals(code)) {
      return new Result(Kind.OK, 404, null, null);
    }
    return new Result(Kind.FAIL, status, code, null);
  }

  /** {@link #put}, without blocking the caller. */
  public java.util.concurrent.CompletableFuture<Result> putAsync(NodeCluster.Node node, String key, String value) {
    return http.sendAsync(writeRequest(node, "PUT", key, "", value), HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> {
          if (error == null) {
            return classify(response);
          }
          Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause() : error;
          return cause instanceof IOException io ? classify(io) : Result.info(cause.toString());
        });
  }

  private HttpRequest writeRequest(NodeCluster.Node node, String method, String key, String condition,
      String value) {
    return HttpRequest.newBuilder(cluster.uri(node, path(key) + "?timeout=" + timeout.toMillis()
            + "ms" + condition))
        .timeout(timeout.plusSeconds(1))
        .method(method, value == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8))
        .build();
  }

  private Result write(NodeCluster.Node node, String method, String key, String condition, String value) {
    HttpRequest request = writeRequest(node, method, key, condition, value);
    try {
      return classify(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return classify(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.info("interrupted");
    }
  }

  private static Result classify(IOException e) {
    if (e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException) {
      // No connection, so no request was sent: certainly not applied.
      return new Result(Kind.FAIL, -1, e.getClass().getSimpleName(), null);
    }
    return Result.info(e.getClass().getSimpleName());
  }

  private static Result classify(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 200) {
      return new Result(Kind.OK, 200, null, null);
    }
    String code = errorCode(response.body());
    if (status == 409 && "CONFLICT".equals(code)) {
      return new Result(Kind.REFUSED, status, code, null);
    }
    boolean notApplied = status >= 400 && status < 500 && status != 408
        || status == 503 && NOT_APPLIED_503.contains(code);
    return new Result(notApplied ? Kind.FAIL : Kind.INFO, status, code, null);
  }

  private static String path(String key) {
    return "/v1/kv/" + encode(key);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String errorCode(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      JsonNode error = json == null ? null : json.get("error");
      return error == null ? "?" : error.asText();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
