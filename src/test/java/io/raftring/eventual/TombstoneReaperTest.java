package io.raftring.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a tombstone may be purged: after its grace period, and only once anti-entropy gave it to every replica. */
class TombstoneReaperTest {

  private static final long DELETED_AT = 1_000;
  private static final long GRACE = 500;

  @Test
  void aTombstoneStaysThroughItsGracePeriod() {
    Map<String, Long> converged = Map.of("n2", 5_000L, "n3", 5_000L);
    assertThat(TombstoneReaper.purgeable(DELETED_AT, DELETED_AT + GRACE, GRACE, List.of("n2", "n3"),
        converged::get)).isFalse();
    assertThat(TombstoneReaper.purgeable(DELETED_AT, DELETED_AT + GRACE + 1, GRACE, List.of("n2", "n3"),
        converged::get)).isTrue();
  }

  @Test
  void aTombstoneStaysUntilEveryOtherReplicaConvergedWithThisOneAfterIt() {
    long later = DELETED_AT + GRACE + 1_000;
    Map<String, Long> n3Behind = Map.of("n2", 2_000L, "n3", 900L);
    assertThat(TombstoneReaper.purgeable(DELETED_AT, later, GRACE, List.of("n2", "n3"), n3Behind::get)).isFalse();
    Map<String, Long> n3Never = Map.of("n2", 2_000L, "n3", 0L);
    assertThat(TombstoneReaper.purgeable(DELETED_AT, later, GRACE, List.of("n2", "n3"), n3Never::get)).isFalse();
    Map<String, Long> sameMillisecond = Map.of("n2", DELETED_AT);
    assertThat(TombstoneReaper.purgeable(DELETED_AT, later, GRACE, List.of("n2"), sameMillisecond::get)).isFalse();
  }

  @Test
  void aKeyWithNoOtherReplicaNeedsOnlyItsGracePeriod() {
    assertThat(TombstoneReaper.purgeable(DELETED_AT, DELETED_AT + GRACE + 1, GRACE, List.of(), peer -> 0)).isTrue();
  }

  @Test
  void theGracePeriodMustOutliveEveryHint() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventualSettings.fromConfig(
            com.typesafe.config.ConfigFactory.parseString(
                "raftring.eventual.tombstones.grace = 1h, raftring.eventual.hinted-handoff.max-age = 3h")
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference())))
        .hasMessageContaining("must be longer than");
  }
}
