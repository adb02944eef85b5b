package io.raftring.api;

import java.util.List;

/**
 * A node's view of the cluster: the members it sees up, and for each Raft group its replicas (the ring's preference
 * list), its leader and each replica's progress. A replica that did not answer in time has {@code reachable} false.
 */
public record ClusterStatus(String node, List<String> members, boolean ready, List<Group> groups) {

  public record Group(String group, List<String> replicas, String leader, long term, List<Replica> replicaStatus) {}

  public record Replica(
      String node, String role, long term, long commitIndex, long lastApplied, long lastIndex, boolean reachable) {}
}
