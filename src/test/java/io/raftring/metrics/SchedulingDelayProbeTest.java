package io.raftring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingDelayProbeTest {

  private static final long MS = 1_000_000;

  private final MetricsRegistry registry = new MetricsRegistry();
  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  /** The "dispatcher": tasks wait here until the test runs them. */
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  private final List<String> warnings = new ArrayList<>();
  private final SchedulingDelayProbe probe = new SchedulingDelayProbe(registry, Duration.ofMillis(20),
      Duration.ofMillis(100), Map.of("dispatcher", queued::add), clock::get, (where, nanos) -> warnings.add(where + " " + nanos / MS));

  @Test
  void aProbeOnTimeWithAPromptDispatcherRecordsNoDelayAndWarnsOfNothing() {
    clock.addAndGet(20 * MS);
    probe.probe();
    queued.poll().run();

    assertThat(countOf("thread")).isEqualTo(1);
    assertThat(countOf("dispatcher")).isEqualTo(1);
    assertThat(registry.scrape()).contains("raftring_scheduling_delay_seconds_sum{where=\"thread\"} 0\n")
        .contains("raftring_scheduling_delay_seconds_sum{where=\"dispatcher\"} 0\n");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aProbeThreadWokenLatePastTheThresholdWarnsOnceASecond() {
    clock.addAndGet(20 * MS + 180 * MS);
    probe.probe();
    queued.poll().run();
    clock.addAndGet(20 * MS + 150 * MS);
    probe.probe();

    assertThat(warnings).containsExactly("thread 180");
    assertThat(registry.scrape()).contains("raftring_scheduling_delay_seconds_bucket{where=\"thread\",le=\"0.1\"} 0")
        .contains("raftring_scheduling_delay_seconds_bucket{where=\"thread\",le=\"0.25\"} 2");

    clock.addAndGet(20 * MS + 1_000 * MS);
    probe.probe();
    assertThat(warnings).containsExactly("thread 180", "thread 1000");
  }

  @Test
  void aTaskThatWaitsInTheDispatcherIsTimedFromItsHandingOverAndNoSecondOneQueuesBehindIt() {
    clock.addAndGet(20 * MS);
    probe.probe();
    for (int i = 0; i < 5; i++) {
      clock.addAndGet(20 * MS);
      probe.probe();
    }
    assertThat(queued).hasSize(1);

    clock.addAndGet(30 * MS);
    queued.poll().run();

    assertThat(warnings).containsExactly("dispatcher 130");
    assertThat(countOf("dispatcher")).isEqualTo(1);
    clock.addAndGet(20 * MS);
    probe.probe();
    assertThat(queued).hasSize(1);
  }

  private long countOf(String where) {
    String line = registry.scrape().lines()
        .filter(l -> l.startsWith("raftring_scheduling_delay_seconds_count{where=\"" + where + "\"}"))
        .findFirst().orElseThrow();
    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
  }
}
