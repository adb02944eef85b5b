package io.raftring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  private final MetricsRegistry registry = new MetricsRegistry();

  @Test
  void countersRenderHelpTypeAndOneLinePerLabelSet() {
    Counter requests = registry.counter("app_requests_total", "Requests served.", "method", "status");
    requests.labels("GET", "200").inc();
    requests.labels("GET", "200").inc(2);
    requests.labels("PUT", "409").inc();

    assertThat(registry.scrape()).isEqualTo(
        "# HELP app_requests_total Requests served.\n"
            + "# TYPE app_requests_total counter\n"
            + "app_requests_total{method=\"GET\",status=\"200\"} 3\n"
            + "app_requests_total{method=\"PUT\",status=\"409\"} 1\n");
  }

  @Test
  void labelValuesAndHelpAreEscaped() {
    registry.counter("odd_total", "Help with \\ and\nnewline.", "key").labels("a\"b\\c\nd").inc();
    assertThat(registry.scrape()).isEqualTo(
        "# HELP odd_total Help with \\\\ and\\nnewline.\n"
            + "# TYPE odd_total counter\n"
            + "odd_total{key=\"a\\\"b\\\\c\\nd\"} 1\n");
  }

  @Test
  void histogramBucketsAreCumulativeAndEndWithInf() {
    Histogram latency = registry.histogram("op_seconds", "Op latency.", new double[] {0.01, 0.1, 1}, "op");
    Histogram.Child put = latency.labels("put");
    put.observe(0.005);
    put.observe(0.01); // on a bound: counts in that bucket (le is "less or equal")
    put.observe(0.05);
    put.observe(3);

    assertThat(registry.scrape()).isEqualTo(
        "# HELP op_seconds Op latency.\n"
            + "# TYPE op_seconds histogram\n"
            + "op_seconds_bucket{op=\"put\",le=\"0.01\"} 2\n"
            + "op_seconds_bucket{op=\"put\",le=\"0.1\"} 3\n"
            + "op_seconds_bucket{op=\"put\",le=\"1.0\"} 3\n"
            + "op_seconds_bucket{op=\"put\",le=\"+Inf\"} 4\n"
            + "op_seconds_sum{op=\"put\"} 3.065\n"
            + "op_seconds_count{op=\"put\"} 4\n");
    assertThat(put.count()).isEqualTo(4);
  }

  @Test
  void gaugesReadTheirSupplierAtScrapeTime() {
    AtomicLong term = new AtomicLong(3);
    Gauge terms = registry.gauge("raft_term", "Current term.", "group");
    terms.register(term::get, "g1");
    registry.gauge("ratio", "A ratio.", () -> 0.25);
    term.set(4);

    String text = registry.scrape();
    assertThat(text).contains("raft_term{group=\"g1\"} 4\n").contains("ratio 0.25\n");
    terms.unregister("g1");
    assertThat(registry.scrape()).doesNotContain("raft_term{");
  }

  @Test
  void familiesAreSortedByNameAndUnlabelledSeriesHaveNoBraces() {
    registry.counter("b_total", "B.").labels().inc();
    registry.counter("a_total", "A.").labels();
    assertThat(registry.scrape()).isEqualTo(
        "# HELP a_total A.\n# TYPE a_total counter\na_total 0\n"
            + "# HELP b_total B.\n# TYPE b_total counter\nb_total 1\n");
  }

  @Test
  void registeringTheSameShapeTwiceReturnsTheSameFamilyAndAnotherShapeIsRefused() {
    Counter first = registry.counter("x_total", "X.", "a");
    assertThat(registry.counter("x_total", "X.", "a")).isSameAs(first);
    assertThatThrownBy(() -> registry.counter("x_total", "X.", "b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.gauge("x_total", "X.", "a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badNamesLabelsAndValuesAreRefused() {
    assertThatThrownBy(() -> registry.counter("1bad", "h")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.counter("ok_total", "h", "__reserved")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.histogram("h_seconds", "h", new double[] {1}, "le"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.histogram("h2_seconds", "h", new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    Counter c = registry.counter("c_total", "h", "a");
    assertThatThrownBy(() -> c.labels("x", "y")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.labels("x").inc(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countersAreExactUnderConcurrentIncrements() throws Exception {
    Counter.Child child = registry.counter("busy_total", "h").labels();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          child.inc();
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(registry.scrape()).contains("busy_total 40000\n");
  }

  @Test
  void includedSourcesFollowTheRegistrysOwnFamilies() {
    registry.counter("own_total", "Own.").labels().inc();
    registry.include(out -> out.append("# HELP other_bytes Other.\n# TYPE other_bytes gauge\nother_bytes 7\n"));
    assertThat(registry.scrape()).isEqualTo(
        "# HELP own_total Own.\n# TYPE own_total counter\nown_total 1\n"
            + "# HELP other_bytes Other.\n# TYPE other_bytes gauge\nother_bytes 7\n");
  }
}
