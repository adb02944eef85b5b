package io.raftring.txn;

import io.raftring.kv.KeyLock;
import java.util.List;

/**
 * What a transaction does when its prepare meets other transactions' locks: wait-die. An older transaction waits
 * for younger holders (it retries its prepare until they finish, resolving any whose coordinator is gone); a younger
 * one dies: it aborts and starts again, keeping its age, after a short pause. Waits only ever point from older to
 * younger, so no cycle of waits (deadlock) can form, and a transaction that keeps dying grows old and then waits,
 * so it does not starve. Every wait is also bounded by the waiter's deadline.
 */
final class ConflictRule {

  enum Verdict { WAIT, DIE }

  private ConflictRule() {}

  static Verdict onConflict(TxnId requester, List<KeyLock> holders) {
    for (KeyLock lock : holders) {
      TxnId holder = TxnId.parse(lock.txnId());
      // An earlier attempt of the same transaction is being aborted: wait for it to go.
      if (!holder.sameTransactionAs(requester) && holder.isOlderThan(requester)) {
        return Verdict.DIE;
      }
    }
    return Verdict.WAIT;
  }
}
