package io.raftring;

import com.typesafe.config.Config;
import io.raftring.cluster.PlacementSettings;
import io.raftring.kv.KvLimits;
import io.raftring.raft.RaftSettings;
import java.util.List;

/**
 * A node's settings, read from {@code raftring.*} (reference.conf documents each).
 *
 * @param nodeName this node's name: its replicas' identity and its place on the ring
 * @param nodes the nodes the cluster was first configured with, by name: the ring that placed every group's first
 *     replicas. Identical on every node, including nodes that join later (which are not in it): it is the groups'
 *     bootstrap configuration, and the placement driver moves groups from there as nodes come and go
 * @param groups how many Raft groups the keyspace is split into
 * @param replicationFactor replicas per group
 * @param virtualNodes points per member on each ring
 * @param limits key and value size limits
 * @param raft the replicas' timing and batching
 * @param placement the placement driver's settings
 */
public record RaftRingSettings(
    String nodeName,
    List<String> nodes,
    int groups,
    int replicationFactor,
    int virtualNodes,
    KvLimits limits,
    RaftSettings raft,
    PlacementSettings placement) {

  public RaftRingSettings {
    nodes = List.copyOf(nodes);
    if (nodeName == null || nodeName.isBlank() || nodeName.contains("@") || nodeName.contains("|")) {
      throw new IllegalArgumentException("raftring.node.name must be a non-empty name without '@' or '|', was \""
          + nodeName + "\"");
    }
    if (groups < 1 || replicationFactor < 1 || virtualNodes < 1) {
      throw new IllegalArgumentException("groups, replication-factor and virtual-nodes must be at least 1");
    }
    if (replicationFactor > nodes.size()) {
      throw new IllegalArgumentException("replication-factor " + replicationFactor + " exceeds the "
          + nodes.size() + " nodes in raftring.cluster.nodes");
    }
  }

  public static RaftRingSettings fromConfig(Config config) {
    Config r = config.getConfig("raftring");
    return new RaftRingSettings(
        r.getString("node.name"),
        r.getStringList("cluster.nodes"),
        r.getInt("cluster.groups"),
        r.getInt("cluster.replication-factor"),
        r.getInt("cluster.virtual-nodes"),
        new KvLimits((int) r.getBytes("kv.max-key-bytes").longValue(),
            (int) r.getBytes("kv.max-value-bytes").longValue()),
        RaftSettings.fromConfig(r.getConfig("raft")),
        PlacementSettings.fromConfig(r.getConfig("placement")));
  }
}
