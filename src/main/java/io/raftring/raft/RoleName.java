package io.raftring.raft;

/** The three roles of section 5.1. */
public enum RoleName {
  FOLLOWER,
  CANDIDATE,
  LEADER
}
