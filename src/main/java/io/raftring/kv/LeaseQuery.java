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

  /**
   * Renews several leases of the group at once, as {@link KeepAlive} each (etcd's keep-alive stream carries many
   * leases over one connection; this carries them in one read): at most {@link LeaseCommand#MAX_IDS}.
   */
  record KeepAliveMany(java.util.List<Long> ids) implements LeaseQuery {
    public KeepAliveMany {
      ids = java.util.List.copyOf(ids);
      if (ids.isEmpty() || ids.size() > LeaseCommand.MAX_IDS) {
        throw new IllegalArgumentException("a keep-alive names 1 to " + LeaseCommand.MAX_IDS + " leases, not "
            + ids.size());
      }
    }
  }

  /** Every lease of the group, and its lessor. */
  record List() implements LeaseQuery {}
}
