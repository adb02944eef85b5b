package io.raftring.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.raftring.metrics.MetricsRegistry;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the registry in the Prometheus text exposition format 0.0.4. */
public final class MetricsRoutes extends AllDirectives {

  /** What Prometheus expects for the text format. */
  public static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final MetricsRegistry registry;

  public MetricsRoutes(MetricsRegistry registry) {
    this.registry = registry;
  }

  public Route route() {
    return path(
        "metrics",
        () -> get(() -> extractRequest(request -> complete(
            HttpEntities.create(PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8))))));
  }
}
