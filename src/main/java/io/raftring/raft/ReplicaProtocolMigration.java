package io.raftring.raft;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The replica's messages were nested in {@code RaftReplica} before they moved to {@link ReplicaProtocol}: a node not
 * yet upgraded still names them {@code io.raftring.raft.RaftReplica$<Message>} in the jackson-cbor manifests it sends.
 * Registered (reference.conf) under each old name, this reads them as the same message under its new name; the
 * fields did not change. The other direction, an old node reading a new name, needs that node upgraded.
 */
public final class ReplicaProtocolMigration extends JacksonMigration {

  private static final String OLD_PREFIX = "io.raftring.raft.RaftReplica$";
  private static final String NEW_PREFIX = "io.raftring.raft.ReplicaProtocol$";

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return className.startsWith(OLD_PREFIX) ? NEW_PREFIX + className.substring(OLD_PREFIX.length()) : className;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
