package io.raftring.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.api.ErrorCode;
import io.raftring.kv.KvLimits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads a request body that is a value (a PUT of {@code /v1/kv} or {@code /v1/ev}) within the value size limit: a
 * declared length over it is refused before a byte is read, a body without one is read up to the limit and refused
 * past it (413 TOO_LARGE either way).
 */
final class ValueBody extends AllDirectives {

  private final KvLimits limits;
  private final HttpErrors errors;

  ValueBody(KvLimits limits, HttpErrors errors) {
    this.limits = limits;
    this.errors = errors;
  }

  /** The route {@code inner} makes of the body's bytes, read within {@code timeout}. */
  Route read(HttpRequest request, Duration timeout, Function<byte[], Route> inner) {
    HttpEntity entity = request.entity();
    if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong()
        > limits.maxValueBytes()) {
      // Refused before a byte of the body is read (a client sending Expect: 100-continue never sends it).
      return complete(errors.response(ErrorCode.TOO_LARGE, "value is " + entity.getContentLengthOption().getAsLong()
          + " bytes, the limit is " + limits.maxValueBytes() + " bytes"));
    }
    if (entity instanceof HttpEntity.Strict strict) {
      // The whole body arrived with the headers (akka-http's case for small values) and its size was checked above.
      // extractStrictEntity would continue on another dispatcher thread even for a body already in memory, which cost
      // ~50 us per PUT in KvRouteBenchmark.
      return inner.apply(limits.validateValue(strict.getData().toArray()));
    }
    scala.concurrent.duration.FiniteDuration readTimeout =
        scala.concurrent.duration.FiniteDuration.create(timeout.toMillis(), TimeUnit.MILLISECONDS);
    // A body without Content-Length is read up to the limit and refused (EntityStreamSizeException -> 413) past it.
    return withSizeLimit(limits.maxValueBytes(), () -> extractStrictEntity(readTimeout, limits.maxValueBytes(),
        strict -> inner.apply(limits.validateValue(strict.getData().toArray()))));
  }
}
