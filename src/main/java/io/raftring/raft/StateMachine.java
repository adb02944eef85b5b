package io.raftring.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a Raft replica drives: it applies committed commands in log order and answers read-only queries against what
 * it has applied. The replica knows nothing about what the bytes mean.
 *
 * <p>Implementations must be deterministic: the same commands applied in the same order on every replica must give
 * the same state and the same results. They are called from the replica's actor only, never concurrently, except
 * for {@link SnapshotView#writeTo}, which runs on another thread by design.
 */
public interface StateMachine {

  /** Applies the committed command at {@code index}; the result goes back to the client that proposed it. */
  byte[] apply(long index, byte[] command);

  /** Answers a read-only query from the applied state; never changes state. */
  byte[] query(byte[] query);

  /** Writes the whole applied state, so that {@link #restore} on an empty machine rebuilds it exactly. */
  void writeSnapshot(OutputStream out) throws IOException;

  /** Replaces the whole state with one written by {@link #writeSnapshot}. */
  void restore(InputStream in) throws IOException;

  /**
   * A point-in-time view of the applied state that can be written out on another thread while this machine goes on
   * applying commands (copy-on-write, or an iterator over an immutable map). Taking it must be cheap: the replica
   * answers nothing while it runs. The default has no such view (null): the replica then calls
   * {@link #writeSnapshot} itself and is unresponsive for as long as writing the whole state takes.
   */
  default SnapshotView snapshotView() {
    return null;
  }

  /** An immutable image of a state machine's state; {@link #writeTo} writes what {@link #writeSnapshot} would have. */
  @FunctionalInterface
  interface SnapshotView {
    void writeTo(OutputStream out) throws IOException;
  }
}
