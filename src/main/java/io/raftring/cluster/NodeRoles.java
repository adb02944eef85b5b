package io.raftring.cluster;

import akka.cluster.Member;

/** Each node advertises its RaftRing name as the cluster role {@code <prefix><name>}; this reads it back. */
public final class NodeRoles {

  private NodeRoles() {}

  /** The RaftRing node name of {@code member}, or null if it has no role with {@code prefix}. */
  public static String nodeOf(Member member, String prefix) {
    for (String role : member.getRoles()) {
      if (role.startsWith(prefix)) {
        return role.substring(prefix.length());
      }
    }
    return null;
  }
}
