package io.raftring.txn;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How the transaction layer reaches a group: propose a command to its log, or read from its leader at the
 * linearizable level. The node wires it to its router; tests wire it to state machines in memory. Failures say
 * whether the command may have been applied ({@link #mayHaveApplied}), so a coordinator knows whether it has lost
 * track of a step or may simply try it again.
 */
public interface GroupClient {

  /** Proposes {@code command} to {@code group}'s log; completes with the state machine's answer once applied. */
  CompletionStage<byte[]> propose(String group, byte[] command, Duration timeout);

  /** Asks {@code group}'s leader {@code query} against everything committed before the read began. */
  CompletionStage<byte[]> read(String group, byte[] query, Duration timeout);

  /** Whether a failed {@link #propose} may have been applied (unknown outcome) rather than certainly not. */
  boolean mayHaveApplied(Throwable failure);
}
