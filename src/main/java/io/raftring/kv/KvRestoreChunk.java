package io.raftring.kv;

import java.util.List;
import java.util.Objects;

/**
 * Part of a group's state put back from a backup: keys with their values, create and mod revisions and versions as
 * the backup holds them, and the group's store revision at the backup. A chunk is a log entry like a put, so every
 * replica installs the same state; it is not a put, so nothing gets a new revision.
 *
 * <p>{@link KvStateMachine} takes a chunk into an empty group (store revision 0, no keys), which then has the chunk's
 * revision, or into a group already at that revision; a key already there must be identical (a retried chunk), so
 * retrying after an unknown outcome is safe. Anything else (the group holds other data, or was written to since the
 * restore began) is refused with CONFLICT, and the chunk changes nothing.
 */
public record KvRestoreChunk(long revision, List<KeyValue> keyValues) {

  public KvRestoreChunk {
    if (revision < 0) {
      throw KvValidationException.badRequest("revision must not be negative, was " + revision);
    }
    keyValues = List.copyOf(Objects.requireNonNull(keyValues, "keyValues"));
    String previous = null;
    for (KeyValue keyValue : keyValues) {
      if (previous != null && KeyOrder.compare(previous, keyValue.key()) >= 0) {
        throw KvValidationException.badRequest("keys must come in key order: " + keyValue.key() + " after " + previous);
      }
      if (keyValue.modRevision() > revision) {
        throw KvValidationException.badRequest("key " + keyValue.key() + " has mod_revision " + keyValue.modRevision()
            + " beyond the group's revision " + revision);
      }
      previous = keyValue.key();
    }
  }
}
