package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which nodes' beacons stopped: reported once per silence, never for a node not heard from yet. */
class NodeLivenessTest {

  private static final long MS = 1_000_000;
  private final NodeLiveness liveness = new NodeLiveness(300 * MS);

  @Test
  void aNodeSilentForTheTimeoutIsReportedOnceUntilItIsHeardFromAgain() {
    liveness.heard("n2", 0);
    liveness.heard("n3", 0);
    liveness.heard("n3", 200 * MS);

    assertThat(liveness.newlySilent(299 * MS)).isEmpty();
    assertThat(liveness.newlySilent(300 * MS)).containsExactly("n2");
    assertThat(liveness.newlySilent(450 * MS)).as("n2 was reported already").isEmpty();
    assertThat(liveness.newlySilent(500 * MS)).containsExactly("n3");

    liveness.heard("n2", 600 * MS);
    assertThat(liveness.newlySilent(800 * MS)).isEmpty();
    assertThat(liveness.newlySilent(900 * MS)).as("a new silence").containsExactly("n2");
  }

  @Test
  void aNodeNeverHeardFromIsNotReported() {
    assertThat(liveness.newlySilent(10_000 * MS)).isEmpty();
  }
}
