package io.raftring.http;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.http.scaladsl.model.IllegalRequestException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KvValidationException;
import io.raftring.watch.WatchEndedException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the JSON error answer {@code {"error": "CODE", "message": "..."}} (the {@link ApiError}
 * shape) with the status {@link ErrorStatus} gives, plus {@code Retry-After} where it applies: failures of the API
 * (RaftRingException, KvValidationException, possibly wrapped), exceptions thrown by routes, and akka-http's own
 * rejections (unknown path 404, wrong method 405, malformed query parameter 400...), which would otherwise be plain
 * text.
 */
public final class HttpErrors extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  /** The error code an error answer carries in its body, attached to the response for the metrics to count. */
  static final AttributeKey<String> ERROR_CODE = AttributeKey.create("raftring-error-code", String.class);

  private final Duration retryAfter;

  /** @param retryAfter what {@code Retry-After} says on 429 and 503 OVERLOADED answers (rounded up to seconds) */
  public HttpErrors(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  /** The answer for an API error code. */
  public HttpResponse response(ErrorCode code, String message) {
    return response(code, message, Json.object());
  }

  /** The answer for an API error code, with extra fields after "error" and "message" (e.g. current_mod_revision). */
  public HttpResponse response(ErrorCode code, String message, ObjectNode extra) {
    HttpResponse answer = response(ErrorStatus.of(code), code.name(), message, extra);
    if (ErrorStatus.hasRetryAfter(code)) {
      answer = answer.addHeader(retryAfterHeader());
    }
    if (code == ErrorCode.UNAUTHENTICATED) {
      answer = answer.addHeader(bearerChallenge(null)); // RFC 7235: a 401 names the scheme to authenticate with
    }
    return answer;
  }

  private HttpHeader retryAfterHeader() {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return RawHeader.create("Retry-After", Long.toString(seconds));
  }

  /**
   * A refused bearer token (RFC 6750 section 3): 401 UNAUTHENTICATED when there is none ({@code error} null) or it
   * is not valid ({@code "invalid_token"}), 403 FORBIDDEN when its role is short of the route's
   * ({@code "insufficient_scope"}); each with {@code WWW-Authenticate: Bearer realm="raftring"[, error="..."]}.
   */
  public HttpResponse bearerRefusal(ErrorCode code, String error, String message) {
    return response(ErrorStatus.of(code), code.name(), message, Json.object()).addHeader(bearerChallenge(error));
  }

  private static HttpHeader bearerChallenge(String error) {
    return RawHeader.create("WWW-Authenticate",
        "Bearer realm=\"raftring\"" + (error == null ? "" : ", error=\"" + error + "\""));
  }

  static HttpResponse response(StatusCode status, String code, String message, ObjectNode extra) {
    ObjectNode body = Json.object().put("error", code).put("message", message == null ? "" : message);
    body.setAll(extra);
    return HttpResponse.create().withStatus(status).withEntity(Json.entity(body)).addAttribute(ERROR_CODE, code);
  }

  /**
   * The answer for a failure: the code it carries, or INTERNAL (logged) when it carries none. A failure concerning a
   * transaction says which in {@code txn_id}; a conflict with one also says when to retry, since it clears by itself.
   */
  public HttpResponse response(Throwable failure) {
    RaftRingException api = RaftRingException.find(failure);
    if (api != null && api.txnId() != null) {
      HttpResponse answer = response(api.code(), api.getMessage(), Json.object().put("txn_id", api.txnId()));
      return api.code() == ErrorCode.CONFLICT ? answer.addHeader(retryAfterHeader()) : answer;
    }
    if (api != null) {
      return response(api.code(), api.getMessage());
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KvValidationException kv) {
        return response(ErrorCode.of(kv.code()), kv.getMessage());
      }
      if (t instanceof WatchEndedException ended) {
        return response(ended.code(), ended.getMessage());
      }
      if (t instanceof EntityStreamSizeException size) {
        return response(
            ErrorCode.TOO_LARGE, "request body is larger than the limit of " + size.limit() + " bytes");
      }
      if (t instanceof IllegalRequestException bad) {
        StatusCode status = bad.status();
        return response(status, ErrorStatus.codeOfStatus(status.intValue()), bad.info().summary(), Json.object());
      }
      if (t instanceof TimeoutException) {
        return response(ErrorCode.TIMEOUT, "no answer within the request's deadline; the outcome is unknown");
      }
    }
    log.error("request failed unexpectedly", failure);
    return response(ErrorCode.INTERNAL, "internal error: " + failure.getClass().getSimpleName());
  }

  /** The answer {@code render} makes of the stage's value, or the error answer for its failure (or render's). */
  public <T> CompletionStage<HttpResponse> render(CompletionStage<T> stage, Function<T, HttpResponse> render) {
    return stage.handle((value, failure) -> {
      if (failure != null) {
        return response(failure);
      }
      try {
        return render.apply(value);
      } catch (RuntimeException e) {
        return response(e);
      }
    });
  }

  /** Exceptions thrown by routes, or failing their futures, as JSON answers. */
  public ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder().match(Throwable.class, t -> complete(response(t))).build();
  }

  /** akka-http's default rejection answers, same statuses and headers (Allow on 405), with JSON bodies. */
  public RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(HttpErrors::asJson);
  }

  /** A plain-text answer made by akka-http, re-rendered as a JSON error with the same status and headers. */
  static HttpResponse asJson(HttpResponse plain) {
    if (plain.entity().getContentType().mediaType().toString().equals("application/json")) {
      return plain;
    }
    String text = plain.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    String code = ErrorStatus.codeOfStatus(plain.status().intValue());
    return plain.withEntity(response(plain.status(), code, text.strip(), Json.object()).entity())
        .addAttribute(ERROR_CODE, code);
  }
}
