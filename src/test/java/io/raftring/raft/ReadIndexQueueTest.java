package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadIndexQueueTest {

  @Test
  void aReadWaitsForItsRoundAndThenForItsIndex() {
    ReadIndexQueue<String> q = new ReadIndexQueue<>();
    q.add(3, 10, "r");
    assertThat(q.ready(100)).isEmpty();
    q.confirm(2);
    assertThat(q.ready(100)).isEmpty();
    q.confirm(3);
    assertThat(q.ready(9)).isEmpty();
    assertThat(q.ready(10)).extracting(ReadIndexQueue.Pending::request).containsExactly("r");
    assertThat(q.size()).isZero();
  }

  @Test
  void oneConfirmedRoundReleasesEveryEarlierRead() {
    ReadIndexQueue<String> q = new ReadIndexQueue<>();
    q.add(1, 5, "a");
    q.add(1, 5, "b");
    q.add(2, 6, "c");
    q.add(4, 6, "d");
    q.confirm(3);
    assertThat(q.ready(6)).extracting(ReadIndexQueue.Pending::request).containsExactly("a", "b", "c");
    assertThat(q.hasUnconfirmed()).isTrue();
  }

  @Test
  void drainHandsBackEverythingWaiting() {
    ReadIndexQueue<String> q = new ReadIndexQueue<>();
    q.add(1, 5, "a");
    q.add(2, 5, "b");
    q.confirm(1);
    assertThat(q.drain()).extracting(ReadIndexQueue.Pending::request).containsExactlyInAnyOrder("a", "b");
    assertThat(q.size()).isZero();
  }
}
