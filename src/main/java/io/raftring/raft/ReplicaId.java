package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;

/** One replica: the Raft group it belongs to and the node whose disk holds its log. */
public record ReplicaId(String group, String node) implements CborSerializable {

  @JsonCreator
  public ReplicaId(@JsonProperty("group") String group, @JsonProperty("node") String node) {
    if (group == null || group.isEmpty() || group.contains("|") || group.contains("@")) {
      throw new IllegalArgumentException("group id must be non-empty without '|' or '@': " + group);
    }
    if (node == null || node.isEmpty() || node.contains("|") || node.contains("@")) {
      throw new IllegalArgumentException("node name must be non-empty without '|' or '@': " + node);
    }
    this.group = group;
    this.node = node;
  }

  /** The replica named by an entity id {@code <group>@<node>}. */
  public static ReplicaId parseEntityId(String entityId) {
    int at = entityId.lastIndexOf('@');
    if (at <= 0 || at == entityId.length() - 1) {
      throw new IllegalArgumentException("not a replica entity id (<group>@<node>): " + entityId);
    }
    return new ReplicaId(entityId.substring(0, at), entityId.substring(at + 1));
  }

  /** The replica whose {@link #persistenceId()} this is, or null for any other id. */
  public static ReplicaId fromPersistenceId(String persistenceId) {
    String[] parts = persistenceId.split("\\|", -1);
    return parts.length == 3 && parts[0].equals("raft") && !parts[1].isEmpty() && !parts[2].isEmpty()
        ? new ReplicaId(parts[1], parts[2])
        : null;
  }

  /** The journal key of this replica's term, vote and log. */
  public String persistenceId() {
    return "raft|" + group + "|" + node;
  }

  /** The entity id under which Cluster Sharding hosts it. */
  public String entityId() {
    return group + "@" + node;
  }

  @Override
  public String toString() {
    return entityId();
  }
}
