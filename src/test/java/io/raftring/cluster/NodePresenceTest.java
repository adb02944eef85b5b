package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which nodes the ring places replicas on, as nodes come, go, fail and are decommissioned. */
class NodePresenceTest {

  private static final long SECOND = 1_000_000_000L;

  private final NodePresence presence = new NodePresence(Duration.ofMinutes(10));

  @Test
  void aConfiguredNodeThatWasNeverSeenCountsUntilTheReplacementDelayPasses() {
    presence.observe(List.of("n1", "n2"), List.of("n1", "n2", "n3"), 0);
    assertThat(presence.placementNodes(Set.of(), 0)).containsExactly("n1", "n2", "n3");
    assertThat(presence.isPresent("n3")).isFalse();
    assertThat(presence.placementNodes(Set.of(), 599 * SECOND)).containsExactly("n1", "n2", "n3");
    assertThat(presence.placementNodes(Set.of(), 600 * SECOND)).containsExactly("n1", "n2");
  }

  @Test
  void aNodeThatComesBackBeforeTheDelayKeepsItsPlaceAndItsClockStartsAgain() {
    presence.observe(List.of("n1", "n2", "n3"), List.of(), 0);
    presence.observe(List.of("n1", "n2"), List.of(), 10 * SECOND);
    assertThat(presence.absentFor("n3", 300 * SECOND)).isEqualTo(Duration.ofSeconds(290));
    presence.observe(List.of("n1", "n2", "n3"), List.of(), 500 * SECOND);
    assertThat(presence.absentFor("n3", 500 * SECOND)).isZero();
    presence.observe(List.of("n1", "n2"), List.of(), 700 * SECOND);
    assertThat(presence.placementNodes(Set.of(), 1200 * SECOND)).contains("n3");
    assertThat(presence.placementNodes(Set.of(), 1300 * SECOND)).doesNotContain("n3");
  }

  @Test
  void aDecommissionedNodeIsLeftOutAtOnceThoughItIsUp() {
    presence.observe(List.of("n1", "n2", "n3", "n4"), List.of(), 0);
    assertThat(presence.placementNodes(Set.of("n4"), 0)).containsExactly("n1", "n2", "n3");
    assertThat(presence.isPresent("n4")).isTrue();
  }

  @Test
  void aNodeNamedOnlyInAGroupsConfigurationIsKnown() {
    presence.observe(List.of("n1"), List.of("n1", "n7"), 0);
    assertThat(presence.isKnown("n7")).isTrue();
    assertThat(presence.absences(5 * SECOND)).containsEntry("n7", Duration.ofSeconds(5));
  }
}
