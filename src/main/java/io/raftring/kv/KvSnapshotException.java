package io.raftring.kv;

import java.io.IOException;

/**
 * A snapshot stream that is truncated, corrupt (checksum, count or an entry does not add up) or of a format this node
 * does not know. The state machine that was restoring keeps its previous state.
 */
public final class KvSnapshotException extends IOException {

  private static final long serialVersionUID = 1L;

  public KvSnapshotException(String message) {
    super(message);
  }

  public KvSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
