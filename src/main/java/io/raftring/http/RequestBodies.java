package io.raftring.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one way routes read request bodies: whole, in memory, bounded in size and in time. A body over its limit is
 * 413 TOO_LARGE (refused before a byte is read when its Content-Length says so); a body that has not fully arrived
 * within {@code bodyReadTimeout} of the route asking for it is 408 REQUEST_TIMEOUT, and its connection is closed.
 * JSON bodies are parsed by {@link Json#readBounded}, never by a bare {@code readTree}.
 */
final class RequestBodies extends AllDirectives {

  private final JsonLimits json;
  private final Duration bodyReadTimeout;
  private final HttpErrors errors;

  RequestBodies(JsonLimits json, Duration bodyReadTimeout, HttpErrors errors) {
    this.json = json;
    this.bodyReadTimeout = bodyReadTimeout;
    this.errors = errors;
  }

  /** The body as a JSON tree within {@link JsonLimits}, or the 4xx answer saying which limit it broke. */
  Route json(Function<JsonNode, Route> inner) {
    return json(json, inner);
  }

  /**
   * As {@link #json(Function)} with a larger size limit, for a route whose bodies carry data (a restore chunk's
   * values); the depth limit stays.
   */
  Route json(int maxBytes, Function<JsonNode, Route> inner) {
    return json(new JsonLimits(json.maxDepth(), Math.max(maxBytes, json.maxBytes())), inner);
  }

  private Route json(JsonLimits limits, Function<JsonNode, Route> inner) {
    return strict(limits.maxBytes(), entity -> {
      JsonNode tree;
      try {
        tree = Json.readBounded(entity.getData().toArray(), limits);
      } catch (RaftRingException e) {
        return complete(errors.response(e));
      }
      return inner.apply(tree);
    });
  }

  /** The whole body, at most {@code maxBytes}, read within the body read timeout. */
  Route strict(long maxBytes, Function<HttpEntity.Strict, Route> inner) {
    return extractRequestEntity(entity -> {
      if (entity instanceof HttpEntity.Strict strict) {
        return strict.getData().size() > maxBytes ? complete(tooLarge(strict.getData().size(), maxBytes))
            : inner.apply(strict);
      }
      if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > maxBytes) {
        return complete(tooLarge(entity.getContentLengthOption().getAsLong(), maxBytes));
      }
      return extractMaterializer(materializer -> onComplete(
          entity.toStrict(bodyReadTimeout.toMillis(), maxBytes, materializer),
          body -> body.isSuccess() ? inner.apply(body.get()) : complete(unreadable(body.failed().get(), maxBytes))));
    });
  }

  private akka.http.javadsl.model.HttpResponse unreadable(Throwable failure, long maxBytes) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return HttpErrors.response(StatusCodes.REQUEST_TIMEOUT, "REQUEST_TIMEOUT", "the request body did not arrive"
            + " within " + bodyReadTimeout.toMillis() + " ms (raftring.http.body-read-timeout); nothing was done",
            Json.object());
      }
      if (t instanceof EntityStreamSizeException size) {
        return tooLarge(size.actualSize().isDefined() ? (Long) size.actualSize().get() : -1, maxBytes);
      }
    }
    return errors.response(failure);
  }

  private akka.http.javadsl.model.HttpResponse tooLarge(long size, long maxBytes) {
    String actual = size >= 0 ? size + " bytes" : "larger";
    return errors.response(ErrorCode.TOO_LARGE,
        "the request body is " + actual + ", the limit is " + maxBytes + " bytes; nothing was done");
  }
}
