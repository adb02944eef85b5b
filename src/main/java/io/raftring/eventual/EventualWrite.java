package io.raftring.eventual;

import java.util.List;

/**
 * An acknowledged write: the key's causal context right after it (passing it back supersedes this write), the node
 * that coordinated it, and the nodes that acknowledged it, stand-ins included.
 */
public record EventualWrite(String key, VersionVector context, String coordinator, List<String> acknowledgedBy) {

  public EventualWrite {
    acknowledgedBy = List.copyOf(acknowledgedBy);
  }
}
