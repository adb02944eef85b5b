package io.raftring.api;

import java.util.List;

/**
 * Where a key lives: the Raft group the ring assigns it, that group's replicas (the ring's preference list of
 * nodes) and the leader this node last knew (null when unknown).
 */
public record KeyPlacement(String key, String group, List<String> replicas, String leader) {}
