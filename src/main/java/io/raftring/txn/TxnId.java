package io.raftring.txn;

import java.util.Comparator;
import java.util.Objects;

/**
 * A transaction attempt's identity, written {@code <group>-<startMillis>-<sequence>-<attempt>-<node>}, e.g.
 * {@code g3-1718000000000-42-0-n1}: the group that holds its record (so any node can ask how it ended), the wall-clock
 * time its first attempt began on its coordinator, a sequence number unique on that node, which attempt this is
 * (a transaction that lost a conflict starts again as attempt 1, 2...) and the coordinating node.
 *
 * <p>Its age decides conflicts (wait-die): {@link #isOlderThan} compares start time, node and sequence, not the
 * attempt, so a restarted transaction keeps its age and becomes, in time, the oldest, which is why none starves.
 */
public record TxnId(String group, long startMillis, long sequence, int attempt, String node) {

  /** Older first: start time, then node, then sequence. */
  public static final Comparator<TxnId> BY_AGE = Comparator.comparingLong(TxnId::startMillis)
      .thenComparing(TxnId::node)
      .thenComparingLong(TxnId::sequence);

  public TxnId {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(node, "node");
    if (group.isEmpty() || group.indexOf('-') >= 0) {
      throw new IllegalArgumentException("a group name has no '-' and is not empty: '" + group + "'");
    }
    if (node.isEmpty()) {
      throw new IllegalArgumentException("node must not be empty");
    }
    if (startMillis < 0 || sequence < 0 || attempt < 0) {
      throw new IllegalArgumentException("startMillis, sequence and attempt are 0 or more");
    }
  }

  /** Reads {@link #toString}'s form; throws IllegalArgumentException naming what is wrong. */
  public static TxnId parse(String text) {
    Objects.requireNonNull(text, "transaction id");
    String[] parts = text.split("-", 5);
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a transaction id (<group>-<startMillis>-<sequence>-<attempt>-<node>)");
    }
    try {
      return new TxnId(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), Integer.parseInt(parts[3]),
          parts[4]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a transaction id: " + e.getMessage());
    }
  }

  /** The next attempt of the same transaction: same age, same record group, a new identity. */
  public TxnId nextAttempt() {
    return new TxnId(group, startMillis, sequence, attempt + 1, node);
  }

  /** Whether this transaction began before {@code other} (older wins conflicts: it may wait, the younger dies). */
  public boolean isOlderThan(TxnId other) {
    return BY_AGE.compare(this, other) < 0;
  }

  /** Whether {@code other} is an attempt of the same transaction. */
  public boolean sameTransactionAs(TxnId other) {
    return BY_AGE.compare(this, other) == 0;
  }

  @Override
  public String toString() {
    return group + "-" + startMillis + "-" + sequence + "-" + attempt + "-" + node;
  }
}
