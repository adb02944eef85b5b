package io.raftring.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JVM's and the process's metrics (memory pools, garbage collections, threads, classes, JIT, buffer pools;
 * process CPU seconds, resident memory, open file descriptors, start time), as the Prometheus Java client's JVM
 * instrumentation names them ({@code jvm_*}, {@code process_*}), so the usual JVM dashboards work unchanged.
 *
 * <p>Everything is read from the JVM's management beans and {@code /proc} at scrape time; nothing here touches a
 * request's path. There is one set per JVM, shared by every node in it (tests run several), so it is built once.
 */
public final class JvmProcessMetrics implements MetricsRegistry.ScrapeSource {

  private static final JvmProcessMetrics INSTANCE = new JvmProcessMetrics();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer =
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

  private JvmProcessMetrics() {
    JvmMetrics.builder().register(registry);
  }

  /** This JVM's metrics. */
  public static JvmProcessMetrics get() {
    return INSTANCE;
  }

  @Override
  public void writeTo(StringBuilder out) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(bytes, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the JVM metrics", e);
    }
    out.append(bytes.toString(StandardCharsets.UTF_8));
  }
}
