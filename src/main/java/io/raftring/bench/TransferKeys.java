package io.raftring.bench;

import io.raftring.ring.GroupPlacement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two keys of a txn-transfer on account {@code K}. Same group: {@code {K}/debit} and {@code {K}/credit} (one hash
 * tag, so one Raft entry). Cross group: {@code K/debit} and the first {@code K/credit-<j>} that the cluster's ring puts
 * in another group (so every transfer commits in two phases). Pairs are computed once per account.
 */
final class TransferKeys {

  private final GroupPlacement ring;
  private final Map<String, String[]> pairs = new ConcurrentHashMap<>();

  private TransferKeys(GroupPlacement ring) {
    this.ring = ring;
  }

  /** Keys sharing a hash tag: one group whatever the ring. */
  static TransferKeys sameGroup() {
    return new TransferKeys(null);
  }

  /** Keys in two groups of a ring of {@code groups} groups with {@code virtualNodes} points each. */
  static TransferKeys crossGroup(int groups, int virtualNodes) {
    if (groups < 2) {
      throw new IllegalArgumentException("--txn-keys cross-group needs a cluster of two or more groups, it has "
          + groups);
    }
    return new TransferKeys(GroupPlacement.of(groups, 1, virtualNodes, java.util.List.of("bench")));
  }

  /** The debit key and the credit key of account {@code key}. */
  String[] of(String key) {
    return pairs.computeIfAbsent(key, this::pair);
  }

  /** The group the ring puts {@code key} in (cross-group only). */
  String groupOf(String key) {
    return ring.groupOf(key);
  }

  private String[] pair(String key) {
    if (ring == null) {
      return new String[] {"{" + key + "}/debit", "{" + key + "}/credit"};
    }
    String debit = key + "/debit";
    String debitGroup = ring.groupOf(debit);
    for (int j = 0; ; j++) {
      String credit = key + "/credit-" + j;
      if (!ring.groupOf(credit).equals(debitGroup)) {
        return new String[] {debit, credit};
      }
    }
  }
}
