package io.raftring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSeriesTest {

  private static final double[] BOUNDS = {0.001, 0.01, 0.1};

  private static RequestTotals totals(long requests, Map<String, Long> errors, long... buckets) {
    return new RequestTotals(requests, errors, BOUNDS, buckets);
  }

  @Test
  void theFirstReadingIsOnlyABaseline() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(50, Map.of(), 50, 0, 0, 0));
    assertThat(series.since(0)).isEmpty();
  }

  @Test
  void aSampleIsWhatHappenedBetweenTwoReadings() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(50, Map.of("NOT_FOUND", 2L), 50, 0, 0, 0));

    series.record(101, totals(150, Map.of("NOT_FOUND", 2L, "NO_QUORUM", 3L), 50, 100, 0, 0));

    RequestSample sample = series.since(0).get(0);
    assertThat(sample.epochSecond()).isEqualTo(101);
    assertThat(sample.requestsPerSecond()).isEqualTo(100);
    assertThat(sample.errorsPerSecond()).containsExactly(Map.entry("NO_QUORUM", 3.0));
    // All 100 new answers took 1-10 ms: the median is interpolated halfway through that bucket.
    assertThat(sample.p50Millis()).isCloseTo(5.5, within(1e-9));
    assertThat(sample.p99Millis()).isCloseTo(9.91, within(1e-9));
  }

  @Test
  void aSecondWithoutRequestsHasNoLatency() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(5, Map.of(), 5, 0, 0, 0));
    series.record(101, totals(5, Map.of(), 5, 0, 0, 0));

    RequestSample sample = series.since(0).get(0);
    assertThat(sample.requestsPerSecond()).isZero();
    assertThat(sample.p50Millis()).isNull();
    assertThat(sample.p99Millis()).isNull();
  }

  @Test
  void aLateReadingIsSpreadOverTheSecondsItCovers() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(0, Map.of(), 0, 0, 0, 0));
    series.record(103, totals(300, Map.of("TIMEOUT", 6L), 300, 0, 0, 0));

    RequestSample sample = series.since(0).get(0);
    assertThat(sample.requestsPerSecond()).isEqualTo(100);
    assertThat(sample.errorsPerSecond()).containsEntry("TIMEOUT", 2.0);
  }

  @Test
  void aSecondReadingInTheSameSecondWaitsForTheNext() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(0, Map.of(), 0, 0, 0, 0));
    series.record(100, totals(40, Map.of(), 40, 0, 0, 0));
    series.record(101, totals(100, Map.of(), 100, 0, 0, 0));

    assertThat(series.since(0)).singleElement()
        .satisfies(s -> assertThat(s.requestsPerSecond()).isEqualTo(100));
  }

  @Test
  void countersThatWentDownStartANewBaseline() {
    RequestSeries series = new RequestSeries(10);
    series.record(100, totals(500, Map.of(), 500, 0, 0, 0));
    series.record(101, totals(10, Map.of(), 10, 0, 0, 0));
    series.record(102, totals(30, Map.of(), 30, 0, 0, 0));

    assertThat(series.since(0)).singleElement()
        .satisfies(s -> assertThat(s.requestsPerSecond()).isEqualTo(20));
  }

  @Test
  void onlyTheNewestSamplesAreKeptAndSinceSkipsWhatTheCallerHas() {
    RequestSeries series = new RequestSeries(3);
    for (int second = 0; second <= 5; second++) {
      series.record(second, totals(second * 10L, Map.of(), second * 10L, 0, 0, 0));
    }

    assertThat(series.since(0)).extracting(RequestSample::epochSecond).containsExactly(3L, 4L, 5L);
    assertThat(series.since(4)).extracting(RequestSample::epochSecond).containsExactly(5L);
  }
}
