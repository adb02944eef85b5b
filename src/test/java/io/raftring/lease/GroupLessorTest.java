package io.raftring.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.LeaseEvent;
import io.raftring.kv.LeaseRecord;
import io.raftring.kv.LeaseTable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lease expiry on one group's lessor, on a manual clock: only the node holding the lessor epoch keeps time; a lease
 * expires a whole TTL after its last keep-alive and not before; a new lessor gives every lease its TTL again plus an
 * extension rather than expiring any early.
 */
class GroupLessorTest {

  private static final long TTL_MS = 10_000;
  private static final long EXTENSION_MS = 1_000;

  private long now = 1_000_000_000L;
  private final GroupLessor lessor = new GroupLessor();

  private void advance(Duration d) {
    now += d.toNanos();
  }

  private void grant(long id) {
    lessor.applied(List.of(new LeaseEvent.Granted(new LeaseRecord(id, TTL_MS, false))), now);
  }

  @Test
  void aNodeThatIsNotTheLessorKeepsNoClockAndExpiresNothing() {
    grant(1);
    advance(Duration.ofHours(1));

    assertThat(lessor.takeExpired(now, 100)).isEmpty();
    assertThat(lessor.keepAlive(1, now)).isEqualTo(GroupLessor.Renewal.NOT_LESSOR);
    assertThat(lessor.remainingMillis(1, now)).isEqualTo(-1);
  }

  @Test
  void aLeaseExpiresAWholeTtlAfterItsLastKeepAliveAndNotBefore() {
    lessor.promoted(1, 5, now, EXTENSION_MS);
    grant(1);

    advance(Duration.ofMillis(6_000));
    assertThat(lessor.keepAlive(1, now)).isEqualTo(GroupLessor.Renewal.RENEWED);
    advance(Duration.ofMillis(TTL_MS - 1));
    assertThat(lessor.takeExpired(now, 100)).isEmpty();
    assertThat(lessor.remainingMillis(1, now)).isEqualTo(1);

    advance(Duration.ofMillis(1));
    assertThat(lessor.takeExpired(now, 100)).containsExactly(1L);
    // Being expired, it cannot be kept alive any more, and it is not taken twice.
    assertThat(lessor.keepAlive(1, now)).isEqualTo(GroupLessor.Renewal.EXPIRED);
    assertThat(lessor.takeExpired(now, 100)).isEmpty();
  }

  @Test
  void aNewLessorGivesEveryLeaseItsWholeTtlPlusTheExtensionFromItsPromotion() {
    grant(1);
    grant(2);
    advance(Duration.ofMillis(9_000));

    lessor.promoted(1, 7, now, EXTENSION_MS);

    advance(Duration.ofMillis(TTL_MS + EXTENSION_MS - 1));
    assertThat(lessor.takeExpired(now, 100)).isEmpty();
    advance(Duration.ofMillis(1));
    assertThat(lessor.takeExpired(now, 100)).containsExactly(1L, 2L);
  }

  @Test
  void anExpiryThatDidNotApplyIsTakenAgainButTheLeaseStaysExpired() {
    lessor.promoted(1, 5, now, 0);
    grant(1);
    advance(Duration.ofMillis(TTL_MS));
    List<Long> taken = lessor.takeExpired(now, 100);

    lessor.expireNotApplied(taken);

    assertThat(lessor.keepAlive(1, now)).isEqualTo(GroupLessor.Renewal.EXPIRED);
    assertThat(lessor.takeExpired(now, 100)).containsExactly(1L);
  }

  @Test
  void aRevokedLeaseLeavesTheClockAndWaitsForItsKeysToGoEverywhere() {
    lessor.promoted(1, 5, now, 0);
    grant(1);

    lessor.applied(List.of(new LeaseEvent.Revoked(1)), now);

    assertThat(lessor.revokedPendingCleanup()).containsExactly(1L);
    advance(Duration.ofMillis(TTL_MS));
    assertThat(lessor.takeExpired(now, 100)).isEmpty();
    lessor.applied(List.of(new LeaseEvent.Forgotten(1)), now);
    assertThat(lessor.revokedPendingCleanup()).isEmpty();
  }

  @Test
  void anotherNodeTakingTheEpochOverEndsThisNodesClock() {
    lessor.promoted(3, 5, now, 0);
    grant(1);

    lessor.applied(List.of(new LeaseEvent.LessorChanged("n2", 4)), now);

    assertThat(lessor.isHolder()).isFalse();
    assertThat(lessor.lessorEpoch()).isEqualTo(4);
    advance(Duration.ofHours(1));
    assertThat(lessor.takeExpired(now, 100)).isEmpty();
  }

  @Test
  void aLeaderOfALaterTermNeedsANewPromotion() {
    lessor.promoted(3, 5, now, 0);

    assertThat(lessor.holdsFor(5)).isTrue();
    assertThat(lessor.holdsFor(6)).isFalse();
  }

  @Test
  void aRestoredReplicaFollowsTheSnapshotsTableAndLeadsNothing() {
    lessor.promoted(3, 5, now, 0);

    lessor.restored(new LeaseTable.View(
        List.of(new LeaseRecord(1, TTL_MS, false), new LeaseRecord(2, TTL_MS, true)), "n3", 9));

    assertThat(lessor.isHolder()).isFalse();
    assertThat(lessor.lessorEpoch()).isEqualTo(9);
    assertThat(lessor.revokedPendingCleanup()).containsExactly(2L);
    lessor.promoted(10, 6, now, 0);
    advance(Duration.ofMillis(TTL_MS));
    assertThat(lessor.takeExpired(now, 100)).containsExactly(1L);
  }

  @Test
  void atMostTheGivenNumberExpireInOneRound() {
    lessor.promoted(1, 5, now, 0);
    for (long id = 1; id <= 10; id++) {
      grant(id);
    }
    advance(Duration.ofMillis(TTL_MS));

    assertThat(lessor.takeExpired(now, 4)).hasSize(4);
    assertThat(lessor.takeExpired(now, 100)).hasSize(6);
  }
}
