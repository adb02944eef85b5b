package io.raftring.api;

import java.util.List;

/**
 * A node's view of the cluster: the members it sees up, and for each Raft group its replicas (the ring's preference
 * list), its leader and each replica's progress. A replica that did not answer in time has {@code reachable} false.
 */
public record ClusterStatus(String node, List<String> members, boolean ready, List<Group> groups) {

  /**
   * One group: {@code replicas} are the nodes holding it as far as this node knows (its leader's last report, or
   * the ring's first placement before any); {@code voters} and {@code learners} are the Raft
   * configuration its leader (or, without one, its most advanced replica) has in force, and {@code changeInProgress}
   * describes a configuration change or leadership transfer not yet complete (null when none).
   */
  public record Group(
      String group,
      List<String> replicas,
      String leader,
      long term,
      List<Replica> replicaStatus,
      List<String> voters,
      List<String> learners,
      String changeInProgress) {

    public Group(String group, List<String> replicas, String leader, long term, List<Replica> replicaStatus) {
      this(group, replicas, leader, term, replicaStatus, List.of(), List.of(), null);
    }
  }

  /** {@code quiet}: the replica's group is idle and runs no Raft timers (see README, Architecture). */
  public record Replica(String node, String role, long term, long commitIndex, long lastApplied, long lastIndex,
      boolean reachable, boolean quiet) {}
}
