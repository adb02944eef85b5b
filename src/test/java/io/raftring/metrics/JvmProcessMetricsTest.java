package io.raftring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmProcessMetricsTest {

  @Test
  void aScrapeCarriesTheJvmsMemoryGcThreadsAndTheProcesssCpuAndMemory() {
    MetricsRegistry registry = new MetricsRegistry();
    registry.include(JvmProcessMetrics.get());

    String text = registry.scrape();

    assertThat(text)
        .contains("# TYPE jvm_memory_used_bytes gauge\n")
        .containsPattern("jvm_memory_used_bytes\\{area=\"heap\"} \\d")
        .contains("# TYPE jvm_gc_collection_seconds summary\n")
        .containsPattern("jvm_threads_current \\d")
        .contains("# TYPE process_cpu_seconds_total counter\n")
        .containsPattern("process_resident_memory_bytes \\d")
        .containsPattern("process_open_fds \\d")
        .containsPattern("process_start_time_seconds \\d");
  }

  @Test
  void everyNodeOfTheJvmSharesOneSet() {
    assertThat(JvmProcessMetrics.get()).isSameAs(JvmProcessMetrics.get());
  }
}
