package io.raftring.http;

import akka.http.javadsl.server.Route;
import io.raftring.kv.KvLimits;
import java.util.function.Function;

/**
 * Reads a request body that is a value (a PUT of {@code /v1/kv} or {@code /v1/ev}) within the value size limit,
 * through {@link RequestBodies}: a declared length over the limit is refused before a byte is read, a body without
 * one is refused past it (413 TOO_LARGE either way), and a slow body meets the body read deadline.
 */
final class ValueBody {

  private final KvLimits limits;
  private final RequestBodies bodies;

  ValueBody(KvLimits limits, RequestBodies bodies) {
    this.limits = limits;
    this.bodies = bodies;
  }

  /** The route {@code inner} makes of the body's bytes. */
  Route read(Function<byte[], Route> inner) {
    return bodies.strict(limits.maxValueBytes(),
        entity -> inner.apply(limits.validateValue(entity.getData().toArray())));
  }
}
