package io.raftring.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import io.raftring.api.ErrorCode;

/** The one place where an error code becomes an HTTP status, and where it is decided which ones carry Retry-After. */
public final class ErrorStatus {

  private ErrorStatus() {}

  public static StatusCode of(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> StatusCodes.BAD_REQUEST;
      case NOT_FOUND -> StatusCodes.NOT_FOUND;
      case CONFLICT -> StatusCodes.CONFLICT;
      case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
      case UNAUTHENTICATED -> StatusCodes.UNAUTHORIZED;
      case FORBIDDEN -> StatusCodes.FORBIDDEN;
      case RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
      case NO_QUORUM, NOT_READY, OVERLOADED -> StatusCodes.SERVICE_UNAVAILABLE;
      case TIMEOUT -> StatusCodes.GATEWAY_TIMEOUT;
      case COMPACTED -> StatusCodes.GONE;
      case INTERNAL -> StatusCodes.INTERNAL_SERVER_ERROR;
    };
  }

  /** Whether an answer with this code tells the client when to retry (429 and 503 OVERLOADED). */
  public static boolean hasRetryAfter(ErrorCode code) {
    return code == ErrorCode.RATE_LIMITED || code == ErrorCode.OVERLOADED;
  }

  /**
   * The error code of an answer akka-http made itself (a rejection: unknown path, wrong method...), by its status.
   * The API's codes where one fits; otherwise an HTTP-level code named after the status.
   */
  static String codeOfStatus(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 408 -> "REQUEST_TIMEOUT";
      case 410 -> "COMPACTED";
      case 413 -> "TOO_LARGE";
      case 414 -> "TOO_LARGE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 429 -> "RATE_LIMITED";
      case 431 -> "TOO_LARGE";
      case 501 -> "NOT_IMPLEMENTED";
      case 503 -> "NOT_READY";
      case 504 -> "TIMEOUT";
      case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
      default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
    };
  }
}
