package io.raftring.http;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers requests too malformed to reach the routes (bad percent-encoding in the URI, oversize headers...) with the
 * JSON error shape instead of akka-http's plain text. {@link HttpServer} installs it through
 * {@code akka.http.server.parsing.error-handler}; akka-http instantiates it by its public no-argument constructor.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("illegal request: {}", info.formatPretty());
    ObjectNode none = Json.object();
    return HttpErrors.response(status, ErrorStatus.codeOfStatus(status.intValue()), info.summary(), none);
  }
}
