package io.raftring.lock;

import io.raftring.kv.KeyValue;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rule of a lock's (or an election's) queue, as etcd's concurrency package has it: each contender holds one key
 * under the queue's prefix, attached to its lease; the key with the smallest create revision owns the queue; every
 * other contender waits for the deletion of the key just before its own (not of the owner's: when the owner goes only
 * the next in line wakes up). The keys share a hash tag, so one group orders them all and create revisions compare.
 */
final class QueueOrder {

  private QueueOrder() {}

  /** Where a contender stands. */
  sealed interface Standing {}

  /** It owns the queue: its create revision is the fencing token. */
  record Owner(KeyValue mine) implements Standing {}

  /** {@code ahead} keys are before it; it waits for {@code predecessor}, the one just before it, to go. */
  record Waiting(KeyValue mine, KeyValue predecessor, int ahead) implements Standing {}

  /** Its key is not in the queue: its lease expired or the key was deleted. */
  record Gone() implements Standing {}

  static Standing standing(List<KeyValue> queue, String myKey) {
    KeyValue mine = queue.stream().filter(kv -> kv.key().equals(myKey)).findFirst().orElse(null);
    if (mine == null) {
      return new Gone();
    }
    KeyValue predecessor = null;
    int ahead = 0;
    for (KeyValue kv : queue) {
      if (kv.createRevision() < mine.createRevision()) {
        ahead++;
        if (predecessor == null || kv.createRevision() > predecessor.createRevision()) {
          predecessor = kv;
        }
      }
    }
    return predecessor == null ? new Owner(mine) : new Waiting(mine, predecessor, ahead);
  }

  /** The owner of the queue: the key with the smallest create revision. */
  static Optional<KeyValue> owner(List<KeyValue> queue) {
    return queue.stream().min(Comparator.comparingLong(KeyValue::createRevision));
  }
}
