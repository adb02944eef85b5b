package io.raftring.txn;

import java.util.Optional;

/**
 * Recovery's rule for a transaction prepared in a participant group and found still holding its locks (by a request
 * that met them, by the recovery sweep, or after a crash): ask its record, and finish it the way the record says.
 * A record still pending (or not there yet) is left alone until the transaction's locks expire; after that it is
 * aborted in its record group first, which succeeds only if the coordinator has not committed it meanwhile: both go
 * through that group's log, so exactly one of them wins.
 */
final class Resolution {

  enum Action {
    /** The record says committed: apply the participant's redo of that branch. */
    COMMIT_PARTICIPANT,
    /** The record says aborted: release the participant's locks. */
    ABORT_PARTICIPANT,
    /** Committed, and nothing remains to do here (the record group's locks went with its decision). */
    ALREADY_COMMITTED,
    /** Aborted, and nothing remains to do here (the record group's locks went with its decision). */
    ALREADY_ABORTED,
    /** Still in progress: wait. */
    WAIT,
    /** Expired undecided: decide it aborted in the record group, then act on the answer. */
    ABORT_RECORD,
    /**
     * No record, and the transaction is so old that a committed record may have been forgotten: neither outcome can
     * be proven, so the locks stay and the transaction counts as in doubt for an operator.
     */
    IN_DOUBT
  }

  record Decision(Action action, boolean succeeded) {}

  private Resolution() {}

  static Decision decide(Optional<TxnRecord> record, boolean participantIsRecordGroup, long nowMillis,
      long expiresAtMillis) {
    if (record.isPresent() && record.get().state() == TxnRecord.State.COMMITTED) {
      return new Decision(participantIsRecordGroup ? Action.ALREADY_COMMITTED : Action.COMMIT_PARTICIPANT,
          record.get().succeeded());
    }
    if (record.isPresent() && record.get().state() == TxnRecord.State.ABORTED) {
      return new Decision(participantIsRecordGroup ? Action.ALREADY_ABORTED : Action.ABORT_PARTICIPANT, false);
    }
    if (nowMillis <= expiresAtMillis) {
      return new Decision(Action.WAIT, false);
    }
    boolean recordMayBeForgotten = record.isEmpty()
        && nowMillis > expiresAtMillis + GroupTxnState.UNSETTLED_RETENTION_MILLIS - GroupTxnState.MAX_TXN_AGE_MILLIS;
    return new Decision(recordMayBeForgotten ? Action.IN_DOUBT : Action.ABORT_RECORD, false);
  }
}
