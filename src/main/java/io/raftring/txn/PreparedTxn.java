package io.raftring.txn;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a prepare leaves in a participant group until its transaction commits or aborts: the redo (the writes of
 * each branch, applied at commit), the undo (what each written key held when it was locked) and the locks.
 *
 * <p>Writes are deferred: nothing of the transaction is in the store before commit, so readers and watchers never
 * see uncommitted data, and the undo image is exactly what the locked keys still hold. Abort restores it by
 * releasing the locks; there is nothing to write back.
 *
 * @param recordHere     whether this group holds the transaction's record (it is the coordinator group)
 * @param preparedAtMillis the coordinator's clock when it sent the prepare
 * @param comparesHeld   whether this group's compares held at prepare (the locks keep it so until the end)
 */
record PreparedTxn(
    TxnId id,
    boolean recordHere,
    long preparedAtMillis,
    long expiresAtMillis,
    boolean comparesHeld,
    List<KvCommand> successRedo,
    List<KvCommand> failureRedo,
    List<Undo> undo,
    List<KeyLock> locks) {

  /** A written key's before-image: its entry when locked, empty when it was absent. */
  record Undo(String key, Optional<KeyValue> before) {
    Undo {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(before, "before");
    }
  }

  PreparedTxn {
    Objects.requireNonNull(id, "id");
    successRedo = List.copyOf(successRedo);
    failureRedo = List.copyOf(failureRedo);
    undo = List.copyOf(undo);
    locks = List.copyOf(locks);
  }

  List<KvCommand> redo(boolean succeeded) {
    return succeeded ? successRedo : failureRedo;
  }

  List<String> lockedKeys() {
    return locks.stream().map(KeyLock::key).toList();
  }
}
