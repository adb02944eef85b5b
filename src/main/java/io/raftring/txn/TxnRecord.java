package io.raftring.txn;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A transaction's record in the group its id names: the durable coordinator record of a two-phase transaction
 * (created by the prepare in that group, decided once by its commit or abort, whichever that group's log applies
 * first) or the outcome of a one-group transaction. Recovery asks it how an in-doubt transaction ended.
 *
 * @param participants the groups a two-phase transaction prepared in (empty for a one-group transaction)
 * @param succeeded    which branch ran (meaningful once committed)
 * @param revision     the revision at which this group applied its writes (0 while pending or when it wrote none)
 * @param settled      a committed two-phase transaction whose every participant has applied the commit: only then
 *                     may the record be forgotten, since a participant still holding the transaction's locks learns
 *                     from it that it must commit
 */
public record TxnRecord(TxnId id, State state, boolean succeeded, long revision, List<String> participants,
    boolean settled) {

  public enum State {
    PENDING, COMMITTED, ABORTED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TxnRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    participants = List.copyOf(participants);
  }

  static TxnRecord pending(TxnId id, List<String> participants) {
    return new TxnRecord(id, State.PENDING, false, 0, participants, false);
  }

  /** A one-group transaction's outcome. */
  static TxnRecord oneGroup(TxnId id, boolean succeeded, long revision) {
    return new TxnRecord(id, State.COMMITTED, succeeded, revision, List.of(), true);
  }

  /** An abort that came before the prepare: it fences that prepare. */
  static TxnRecord abortedUnprepared(TxnId id) {
    return new TxnRecord(id, State.ABORTED, false, 0, List.of(), true);
  }

  TxnRecord committed(boolean branch, long atRevision) {
    return new TxnRecord(id, State.COMMITTED, branch, atRevision, participants, false);
  }

  TxnRecord aborted() {
    return new TxnRecord(id, State.ABORTED, false, 0, participants, true);
  }

  TxnRecord settle() {
    return new TxnRecord(id, state, succeeded, revision, participants, true);
  }

  public boolean isDecided() {
    return state != State.PENDING;
  }
}
