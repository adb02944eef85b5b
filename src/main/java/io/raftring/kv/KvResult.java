package io.raftring.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link KvStateMachine} answers to a command or a query; travels back to the caller as bytes made by
 * {@link KvCodec#encode(KvResult)}. Every revision here is the store's revision after the operation.
 */
public sealed interface KvResult
    permits KvResult.Written,
        KvResult.Deleted,
        KvResult.Conflict,
        KvResult.Found,
        KvResult.NotFound,
        KvResult.RangePage,
        KvResult.Restored,
        KvResult.Rejected,
        KvResult.Locked {

  /** A put took effect: {@code revision} is the new store revision and the key's new mod_revision. */
  record Written(long revision, Optional<KeyValue> previous) implements KvResult {
    public Written {
      Objects.requireNonNull(previous, "previous");
    }
  }

  /**
   * A delete's condition held. If the key existed it is gone, {@code previous} holds what it was and the revision
   * moved on; if it was absent nothing changed and {@code previous} is empty.
   */
  record Deleted(long revision, Optional<KeyValue> previous) implements KvResult {
    public Deleted {
      Objects.requireNonNull(previous, "previous");
    }

    public boolean deletedSomething() {
      return previous.isPresent();
    }
  }

  /**
   * A put's or delete's condition did not hold; nothing changed. {@code currentModRevision} is the key's mod_revision
   * (0 when absent), so the caller can retry with it.
   */
  record Conflict(long currentModRevision, long revision) implements KvResult {}

  /** A get's key exists. */
  record Found(KeyValue keyValue, long revision) implements KvResult {
    public Found {
      Objects.requireNonNull(keyValue, "keyValue");
    }
  }

  /** A get's key does not exist. */
  record NotFound(long revision) implements KvResult {}

  /**
   * One page of a range, keys in UTF-8 byte order. {@code nextPageToken} is present exactly when more keys follow in
   * the range; pass it to {@link KvQuery.Range#withPageToken} for the next page.
   */
  record RangePage(List<KeyValue> keyValues, Optional<String> nextPageToken, long revision) implements KvResult {
    public RangePage {
      keyValues = List.copyOf(keyValues);
      Objects.requireNonNull(nextPageToken, "nextPageToken");
    }

    public boolean more() {
      return nextPageToken.isPresent();
    }
  }

  /** A {@link KvRestoreChunk} is in: the group is at the backup's {@code revision} and now holds {@code keys} keys. */
  record Restored(long revision, long keys) implements KvResult {}

  /**
   * Refused, with the same answer on every replica: bytes that did not decode (a proposer that validated and encoded
   * with this package never sees that; it exists so that a bad log entry is answered alike everywhere instead of
   * throwing), a restore chunk the group's state does not allow (CONFLICT), an export page of an export this replica
   * does not hold (NOT_FOUND).
   */
  record Rejected(KvErrorCode code, String message) implements KvResult {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The request met transactions' locks on its keys. A write changed nothing ({@code committed} is empty) and may be
   * retried once the locks are gone. A read carries in {@code committed} the answer from the last committed values,
   * which is what a stale read returns and what a strong read returns once it knows the lock holders have not
   * committed (their records say pending or aborted).
   */
  record Locked(List<KeyLock> locks, Optional<KvResult> committed) implements KvResult {
    public Locked {
      locks = List.copyOf(locks);
      if (locks.isEmpty()) {
        throw new IllegalArgumentException("a Locked result names at least one lock");
      }
      Objects.requireNonNull(committed, "committed");
      if (committed.isPresent() && committed.get() instanceof Locked) {
        throw new IllegalArgumentException("a committed answer is not itself Locked");
      }
    }
  }
}
