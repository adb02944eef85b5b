package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * Which nodes' beacons stopped: each silence timeout is drawn from the election timeout's range at every beacon; a
 * node is reported once per silence, never before it was heard from.
 */
class NodeLivenessTest {

  private static final long MS = 1_000_000;
  /** The draws, in order: 0 gives the minimum timeout (150 ms), 0.5 the middle (225 ms). */
  private final Queue<Double> draws = new ArrayDeque<>();
  private final NodeLiveness liveness = new NodeLiveness(150 * MS, 300 * MS, draws::remove);

  @Test
  void aNodeSilentForItsDrawnTimeoutIsReportedOnceUntilItIsHeardFromAgain() {
    draws.addAll(List.of(0.0, 0.5, 0.5, 0.0));
    liveness.heard("n2", 0);
    liveness.heard("n3", 0);
    liveness.heard("n3", 100 * MS);

    assertThat(liveness.newlySilent(149 * MS)).isEmpty();
    assertThat(liveness.newlySilent(150 * MS)).containsExactly("n2");
    assertThat(liveness.newlySilent(300 * MS)).as("n2 was reported already").isEmpty();
    assertThat(liveness.newlySilent(325 * MS)).as("heard at 100 ms, timeout 225 ms").containsExactly("n3");

    liveness.heard("n2", 600 * MS);
    assertThat(liveness.newlySilent(749 * MS)).isEmpty();
    assertThat(liveness.newlySilent(750 * MS)).as("a new silence").containsExactly("n2");
  }

  @Test
  void aNodeNeverHeardFromIsNotReported() {
    assertThat(liveness.newlySilent(10_000 * MS)).isEmpty();
  }
}
