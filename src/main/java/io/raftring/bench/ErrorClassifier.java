package io.raftring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a failed request into a short, stable error code, so that a run's errors can be counted by kind:
 *
 * <ul>
 *   <li>RaftRing: {@code "HTTP 503 NO_QUORUM"} from the status and the JSON {@code error} field ({@code "HTTP 500"}
 *       when the body is not our JSON);
 *   <li>etcd's gateway: {@code "HTTP 503 grpc UNAVAILABLE"} from the status and the JSON {@code code} (a gRPC status
 *       number);
 *   <li>no answer: {@code CONNECT} (refused, or no connection in time), {@code CLIENT_TIMEOUT} (our per-request
 *       timeout passed), {@code IO} (the connection broke), {@code NOT_STARTED} (an open-loop request found the
 *       outstanding-request bound full at its start time and was never sent);
 *   <li>{@code BAD_RESPONSE}: an answer the tool could not understand (e.g. no revision header for a CAS).
 * </ul>
 */
public final class ErrorClassifier {

  public static final String CONNECT = "CONNECT";
  public static final String CLIENT_TIMEOUT = "CLIENT_TIMEOUT";
  public static final String IO = "IO";
  public static final String NOT_STARTED = "NOT_STARTED";
  public static final String BAD_RESPONSE = "BAD_RESPONSE";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] GRPC_CODES = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"
  };

  private ErrorClassifier() {}

  /** A RaftRing error answer: status plus the JSON {@code error} code when the body has one. */
  public static String fromRaftRing(int status, byte[] body) {
    JsonNode json = parse(body);
    JsonNode code = json == null ? null : json.get("error");
    if (code != null && code.isTextual() && isCode(code.asText())) {
      return "HTTP " + status + " " + code.asText();
    }
    return "HTTP " + status;
  }

  /** An etcd gateway error answer: status plus the gRPC status name from the JSON {@code code}. */
  public static String fromEtcd(int status, byte[] body) {
    JsonNode json = parse(body);
    JsonNode code = json == null ? null : json.get("code");
    if (code != null && code.canConvertToInt()) {
      int number = code.asInt();
      String name = number >= 0 && number < GRPC_CODES.length ? GRPC_CODES[number] : String.valueOf(number);
      return "HTTP " + status + " grpc " + name;
    }
    return "HTTP " + status;
  }

  /** A request that got no answer. */
  public static String fromThrowable(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return CONNECT;
    }
    if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
      return CLIENT_TIMEOUT;
    }
    if (cause instanceof CancellationException) {
      return CLIENT_TIMEOUT;
    }
    if (cause instanceof IOException) {
      // HttpClient wraps a refused connection in a plain IOException whose cause is the ConnectException.
      return cause.getCause() instanceof ConnectException ? CONNECT : IO;
    }
    return "CLIENT_" + cause.getClass().getSimpleName();
  }

  private static boolean isCode(String text) {
    if (text.isEmpty() || text.length() > 40) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '_' && !(c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0 || body[0] != '{') {
      return null;
    }
    try {
      return MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
  }
}
