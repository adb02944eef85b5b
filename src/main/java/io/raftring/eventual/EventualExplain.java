package io.raftring.eventual;

import java.util.List;

/**
 * Where a key lives and what each replica holds: its preference list and, per node asked, its role ("home" or
 * "fallback for nX"), whether it answered, and its value.
 */
public record EventualExplain(String key, long ringPosition, List<String> preferenceList, List<Replica> replicas) {

  /** One node's answer: {@code value} null when it did not answer ({@code error} says why). */
  public record Replica(String node, String role, boolean live, VersionedValue value, String error) {}

  public EventualExplain {
    preferenceList = List.copyOf(preferenceList);
    replicas = List.copyOf(replicas);
  }
}
