package io.raftring.api;

import io.raftring.ring.HashTag;
import java.util.List;

/**
 * Where a key lives: the Raft group the ring assigns it, that group's replicas (the ring's preference list of
 * nodes), the leader this node last knew (null when unknown) and the key's hash tag (null when it has none: then the
 * whole key chose the group; see {@link HashTag}).
 */
public record KeyPlacement(String key, String group, List<String> replicas, String leader, String hashTag) {

  /** The placement of {@code key}, with its hash tag read from the key. */
  public KeyPlacement(String key, String group, List<String> replicas, String leader) {
    this(key, group, replicas, leader, HashTag.of(key).orElse(null));
  }
}
