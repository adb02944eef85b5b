package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyLock;
import io.raftring.txn.Resolution.Action;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules recovery and conflicts follow: how an in-doubt transaction is finished, who waits, who dies. */
class RecoveryRulesTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final TxnId T = new TxnId("g0", NOW - 5_000, 1, 0, "n1");

  private static Resolution.Decision decide(Optional<TxnRecord> record, boolean inRecordGroup, long expiresAt) {
    return Resolution.decide(record, inRecordGroup, NOW, expiresAt);
  }

  @Test
  void aParticipantOfACommittedTransactionCommitsTheBranchTheRecordNames() {
    TxnRecord committed = TxnRecord.pending(T, List.of("g0", "g1")).committed(false, 9);
    assertThat(decide(Optional.of(committed), false, NOW - 1))
        .isEqualTo(new Resolution.Decision(Action.COMMIT_PARTICIPANT, false));
    assertThat(decide(Optional.of(committed), true, NOW - 1).action()).isEqualTo(Action.ALREADY_COMMITTED);
  }

  @Test
  void aParticipantOfAnAbortedTransactionReleasesItsLocks() {
    TxnRecord aborted = TxnRecord.pending(T, List.of("g0", "g1")).aborted();
    assertThat(decide(Optional.of(aborted), false, NOW + 1_000).action()).isEqualTo(Action.ABORT_PARTICIPANT);
    assertThat(decide(Optional.of(aborted), true, NOW + 1_000).action()).isEqualTo(Action.ALREADY_ABORTED);
  }

  @Test
  void anUndecidedTransactionIsLeftAloneUntilItsLocksExpireThenAbortedInItsRecordGroupFirst() {
    TxnRecord pending = TxnRecord.pending(T, List.of("g0", "g1"));
    assertThat(decide(Optional.of(pending), false, NOW + 1).action()).isEqualTo(Action.WAIT);
    assertThat(decide(Optional.empty(), false, NOW + 1).action()).isEqualTo(Action.WAIT);
    assertThat(decide(Optional.of(pending), false, NOW - 1).action()).isEqualTo(Action.ABORT_RECORD);
    assertThat(decide(Optional.empty(), false, NOW - 1).action()).isEqualTo(Action.ABORT_RECORD);
  }

  @Test
  void withoutARecordAfterSoLongThatACommittedOneMayHaveBeenForgottenTheTransactionStaysInDoubt() {
    long longAgo = NOW - GroupTxnState.UNSETTLED_RETENTION_MILLIS;
    assertThat(decide(Optional.empty(), false, longAgo).action()).isEqualTo(Action.IN_DOUBT);
    TxnRecord aborted = TxnRecord.pending(T, List.of()).aborted();
    assertThat(decide(Optional.of(aborted), false, longAgo).action()).isEqualTo(Action.ABORT_PARTICIPANT);
  }

  @Test
  void anOlderTransactionWaitsForYoungerHoldersAndAYoungerOneDies() {
    TxnId older = new TxnId("g1", NOW, 1, 0, "n1");
    TxnId younger = new TxnId("g2", NOW + 1, 1, 0, "n1");
    KeyLock heldByYounger = new KeyLock("k", younger.toString(), "g2", NOW + 3_000, true);
    KeyLock heldByOlder = new KeyLock("k", older.toString(), "g1", NOW + 3_000, true);

    assertThat(ConflictRule.onConflict(older, List.of(heldByYounger))).isEqualTo(ConflictRule.Verdict.WAIT);
    assertThat(ConflictRule.onConflict(younger, List.of(heldByOlder))).isEqualTo(ConflictRule.Verdict.DIE);
    assertThat(ConflictRule.onConflict(younger.nextAttempt(), List.of(heldByOlder)))
        .as("a restart keeps its age, so it still dies").isEqualTo(ConflictRule.Verdict.DIE);
    assertThat(ConflictRule.onConflict(older.nextAttempt(), List.of(heldByOlder)))
        .as("its own earlier attempt, being aborted: wait").isEqualTo(ConflictRule.Verdict.WAIT);
  }
}
