package io.raftring.kv;

/** A read of a group's leases, answered by {@link KvStateMachine#query}; encoded by {@link LeaseCodec}. */
public sealed interface LeaseQuery {

  /** The lease and, on its lessor's node, its time to live left. */
  record Get(long id) implements LeaseQuery {}

  /**
   * Renews the lease on the lessor's clock (not a change of replicated state: etcd keeps expiry in the leader's memory
   * too). Sent as a leader read, so only a replica that currently leads, on the node running the lessor, renews it.
   */
  record KeepAlive(long id) implements LeaseQuery {}

  /** Every lease of the group, and its lessor. */
  record List() implements LeaseQuery {}
}
