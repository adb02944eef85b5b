package io.raftring.txn;

import java.util.List;
import java.util.Objects;

/**
 * A transaction command in a group's Raft log, applied by {@link TxnStateMachine}. Each carries its sender's wall
 * clock ({@code nowMillis}): the state machine never reads a clock of its own (every replica must apply alike), it
 * ages records and refuses stale prepares by the latest time its log has brought it.
 */
public sealed interface TxnCommand
    permits TxnCommand.Execute, TxnCommand.Prepare, TxnCommand.Commit, TxnCommand.Abort, TxnCommand.Settle {

  TxnId id();

  long nowMillis();

  /** A transaction whose keys all live in this group: evaluated and applied in this one entry. */
  record Execute(TxnId id, long nowMillis, TxnRequest request) implements TxnCommand {
    public Execute {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * Phase one in one participant: lock the keys of {@code part} (this group's compares and operations), evaluate the
   * compares, run both branches' reads, and keep both branches' writes as redo. {@code recordHere}: this group is
   * the coordinator group and creates the pending record listing {@code participants}.
   */
  record Prepare(TxnId id, long nowMillis, long expiresAtMillis, boolean recordHere, List<String> participants,
      TxnRequest part) implements TxnCommand {
    public Prepare {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(part, "part");
      participants = List.copyOf(participants);
    }
  }

  /**
   * Phase two: apply the redo of the branch that ran and release the locks. In the coordinator group
   * ({@code recordHere}) this is the commit point: it decides the record, unless it was decided (aborted) before.
   */
  record Commit(TxnId id, long nowMillis, boolean succeeded, boolean recordHere) implements TxnCommand {
    public Commit {
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * Drop the redo, release the locks, and remember the transaction as finished so a late prepare is refused. In the
   * coordinator group it decides the record aborted, creating it if the prepare has not arrived (so that prepare will
   * be refused), unless it was committed before.
   */
  record Abort(TxnId id, long nowMillis, boolean recordHere) implements TxnCommand {
    public Abort {
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * To the record group, once every participant applied the commit: the record may now be forgotten after its
   * retention. Until then it is kept (for an hour at most), so a participant that missed the commit still learns it.
   */
  record Settle(TxnId id, long nowMillis) implements TxnCommand {
    public Settle {
      Objects.requireNonNull(id, "id");
    }
  }
}
