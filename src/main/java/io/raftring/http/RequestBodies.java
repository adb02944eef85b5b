package io.raftring.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamException;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.admission.ByteBudget;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one way routes read request bodies: whole, into memory, bounded in size, in time and, all connections
 * together, in bytes.
 *
 * <ul>
 *   <li>A body over the route's limit is 413 TOO_LARGE, refused before a byte is read when Content-Length says so.
 *   <li>A body that has not fully arrived within {@link ReadLimits#bodyReadTimeout()} of the route asking for it is
 *       408 REQUEST_TIMEOUT; nothing is done, and the connection closes (its body was not read to the end).
 *   <li>Before reading, a body reserves its declared length (a chunked one: the route's limit) from the node's
 *       {@link ReadLimits#maxBufferedBodyBytes()}, and gives it back when its request is answered; when the budget
 *       cannot cover it the answer is at once 503 OVERLOADED. A body that arrived with its request head is already in
 *       memory and passes without a reservation.
 *   <li>JSON bodies are parsed by {@link Json#readBounded}, never by a bare {@code readTree}.
 * </ul>
 */
final class RequestBodies extends AllDirectives {

  private static final Executor SAME_THREAD = Runnable::run;

  private final JsonLimits json;
  private final Duration bodyReadTimeout;
  private final ByteBudget buffered;
  private final HttpErrors errors;

  RequestBodies(HttpSettings settings, HttpErrors errors) {
    this.json = settings.json();
    this.bodyReadTimeout = settings.reads().bodyReadTimeout();
    this.buffered = new ByteBudget(settings.reads().maxBufferedBodyBytes());
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

  /** The whole body, at most {@code maxBytes}; {@code inner} runs once it is in, with it as the request's entity. */
  Route strict(long maxBytes, Function<HttpEntity.Strict, Route> inner) {
    return extractRequestEntity(entity -> {
      if (entity instanceof HttpEntity.Strict strict) {
        return strict.getData().size() > maxBytes ? complete(tooLarge(strict.getData().size(), maxBytes))
            : inner.apply(strict);
      }
      long declared = entity.getContentLengthOption().orElse(-1);
      if (declared > maxBytes) {
        return complete(tooLarge(declared, maxBytes));
      }
      long reservation = declared >= 0 ? declared : maxBytes;
      if (!buffered.tryReserve(reservation)) {
        return complete(errors.response(ErrorCode.OVERLOADED, "request bodies being read hold "
            + buffered.reserved() + " bytes, and this one could not be taken within the limit of "
            + buffered.capacity() + " bytes (raftring.http.max-buffered-body-bytes); nothing was done"));
      }
      // Released once the request is answered, however it ends: the body is referenced until then.
      return mapRouteResultFuture(
          result -> result.whenCompleteAsync((r, e) -> buffered.release(reservation), SAME_THREAD),
          () -> extractMaterializer(materializer -> onComplete(
              // withSizeLimit fails with the size (EntityStreamSizeException); toStrict's own bound, one byte later, would
              // fail with a bare "Request too large".
              entity.withSizeLimit(maxBytes).toStrict(bodyReadTimeout.toMillis(), maxBytes + 1, materializer),
              body -> body.isSuccess()
                  ? mapRequest(request -> request.withEntity(body.get()), () -> inner.apply(body.get()))
                  : complete(unreadable(body.failed().get(), maxBytes)))));
    });
  }

  /** Bytes of request bodies being read now, all connections together. */
  long bufferedBytes() {
    return buffered.reserved();
  }

  private HttpResponse unreadable(Throwable failure, long maxBytes) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return HttpErrors.response(StatusCodes.REQUEST_TIMEOUT, "REQUEST_TIMEOUT", "the request body did not arrive"
            + " within " + bodyReadTimeout.toMillis() + " ms (raftring.http.body-read-timeout); nothing was done",
            Json.object());
      }
      if (t instanceof EntityStreamSizeException size) {
        return tooLarge(size.actualSize().isDefined() ? (Long) size.actualSize().get() : -1, maxBytes);
      }
      if (t instanceof EntityStreamException malformed) {
        return errors.response(ErrorCode.BAD_REQUEST, "the request body is malformed: " + malformed.info().summary());
      }
    }
    return errors.response(failure);
  }

  private HttpResponse tooLarge(long size, long maxBytes) {
    String actual = size >= 0 ? size + " bytes" : "larger";
    return errors.response(ErrorCode.TOO_LARGE,
        "the request body is " + actual + ", the limit is " + maxBytes + " bytes; nothing was done");
  }
}
