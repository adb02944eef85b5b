package io.raftring.lease;

import io.raftring.api.KeyPlacement;
import io.raftring.api.KvApi;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The KV API with puts that name a lease checked first: the lease must exist and not be revoked (404 NOT_FOUND, as
 * etcd answers "requested lease not found"). A lease revoked between the check and the put is caught by the key's
 * group, which refuses puts naming a lease it saw revoked.
 */
public final class LeaseCheckingKvApi implements KvApi {

  private final KvApi kv;
  private final LeaseService leases;

  public LeaseCheckingKvApi(KvApi kv, LeaseService leases) {
    this.kv = kv;
    this.leases = leases;
  }

  @Override
  public CompletionStage<WriteOutcome> write(KvCommand command, Duration timeout) {
    if (command instanceof KvCommand.Put put && put.lease() != KvCommand.NO_LEASE) {
      long deadline = System.nanoTime() + timeout.toNanos();
      return leases.requireActive(put.lease(), timeout)
          .thenCompose(active -> kv.write(command, Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))));
    }
    return kv.write(command, timeout);
  }

  @Override
  public CompletionStage<ReadOutcome> read(KvQuery query, ReadConsistency consistency, Duration timeout) {
    return kv.read(query, consistency, timeout);
  }

  @Override
  public CompletionStage<ReadOutcome> readOrDegrade(KvQuery query, ReadConsistency consistency, Duration timeout) {
    return kv.readOrDegrade(query, consistency, timeout);
  }

  @Override
  public KeyPlacement explain(String key) {
    return kv.explain(key);
  }
}
