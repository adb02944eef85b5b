package io.raftring.lease;

import io.raftring.kv.LeaseEvent;
import io.raftring.kv.LeaseRecord;
import io.raftring.kv.LeaseTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One group's lessor on one node (etcd's lessor): it follows the group's lease table as this node's replica applies it
 * and, while this node leads the group and holds the group's lessor epoch, keeps each lease's expiry on its clock.
 * Expiry lives here in memory, not in the log: a keep-alive every TTL/3 from thousands of leases would otherwise be
 * thousands of Raft writes a second. What is decided here (that a lease expired) is then committed through Raft,
 * tagged with the epoch, and the state machine refuses it once another node took the epoch over.
 *
 * <p>A node that takes the lessor over gives every lease its whole TTL again plus an extension, counted from then:
 * it cannot know when the previous lessor last renewed them, and expiring early is the one thing a lease must never
 * do (etcd's Promote does the same). Pure: time is passed in as monotonic nanoseconds. Thread-safe: the replica's
 * thread reports changes and keep-alives, the lessor's actor asks what expired.
 */
public final class GroupLessor {

  /** What a keep-alive found. */
  public enum Renewal { RENEWED, EXPIRED, NOT_LESSOR }

  private final Map<Long, Long> ttlMillisOf = new HashMap<>();
  private final Set<Long> revoked = new TreeSet<>();
  private String lessorNode = "";
  private long lessorEpoch;

  private boolean holder;
  private long heldEpoch;
  private long heldTerm;
  private final Map<Long, Long> expiryNanos = new HashMap<>();
  private final Set<Long> expiring = new HashSet<>();

  // ---- following the replicated table

  public synchronized void applied(List<LeaseEvent> events, long nowNanos) {
    for (LeaseEvent event : events) {
      if (event instanceof LeaseEvent.Granted granted) {
        LeaseRecord lease = granted.lease();
        ttlMillisOf.put(lease.id(), lease.ttlMillis());
        if (holder) {
          expiryNanos.put(lease.id(), nowNanos + lease.ttlMillis() * 1_000_000);
        }
      } else if (event instanceof LeaseEvent.Revoked r) {
        ttlMillisOf.remove(r.id());
        expiryNanos.remove(r.id());
        expiring.remove(r.id());
        revoked.add(r.id());
      } else if (event instanceof LeaseEvent.Forgotten f) {
        revoked.remove(f.id());
      } else if (event instanceof LeaseEvent.LessorChanged changed) {
        lessorNode = changed.node();
        lessorEpoch = changed.epoch();
        if (holder && changed.epoch() != heldEpoch) {
          demote();
        }
      }
    }
  }

  /** The replica's state was replaced (a snapshot, or a restart from empty): follow the new table, lead nothing. */
  public synchronized void restored(LeaseTable.View table) {
    demote();
    ttlMillisOf.clear();
    revoked.clear();
    for (LeaseRecord lease : table.leases()) {
      if (lease.revoked()) {
        revoked.add(lease.id());
      } else {
        ttlMillisOf.put(lease.id(), lease.ttlMillis());
      }
    }
    lessorNode = table.lessorNode();
    lessorEpoch = table.lessorEpoch();
  }

  /** The lessor epoch the replicated table is in, for the next promotion to expect. */
  public synchronized long lessorEpoch() {
    return lessorEpoch;
  }

  public synchronized String lessorNode() {
    return lessorNode;
  }

  // ---- the lessor's role

  /**
   * This node, leading the group in {@code term}, was confirmed as lessor in {@code epoch}: every lease gets its TTL
   * plus {@code extensionMillis} from now.
   */
  public synchronized void promoted(long epoch, long term, long nowNanos, long extensionMillis) {
    holder = true;
    heldEpoch = epoch;
    heldTerm = term;
    expiryNanos.clear();
    expiring.clear();
    ttlMillisOf.forEach((id, ttl) -> expiryNanos.put(id, nowNanos + (ttl + extensionMillis) * 1_000_000));
  }

  /** This node leads the group no longer (or never confirmed its epoch): it keeps no clock. */
  public synchronized void demote() {
    holder = false;
    expiryNanos.clear();
    expiring.clear();
  }

  /** Whether this node runs the lessor for {@code term} (a new term of leadership needs a new promotion). */
  public synchronized boolean holdsFor(long term) {
    return holder && heldTerm == term;
  }

  public synchronized boolean isHolder() {
    return holder;
  }

  public synchronized long heldEpoch() {
    return heldEpoch;
  }

  /** A keep-alive: the lease's expiry moves to a whole TTL from now, if this node runs the lessor. */
  public synchronized Renewal keepAlive(long id, long nowNanos) {
    if (!holder) {
      return Renewal.NOT_LESSOR;
    }
    Long ttl = ttlMillisOf.get(id);
    Long expiry = expiryNanos.get(id);
    if (ttl == null || expiring.contains(id) || (expiry != null && nowNanos - expiry >= 0)) {
      // Once its time is up a lease stays expired, even before the revoke is committed.
      return Renewal.EXPIRED;
    }
    expiryNanos.put(id, nowNanos + ttl * 1_000_000);
    return Renewal.RENEWED;
  }

  /** The lease's time to live left; -1 when this node keeps no clock for it. */
  public synchronized long remainingMillis(long id, long nowNanos) {
    Long expiry = expiryNanos.get(id);
    if (!holder || expiry == null) {
      return -1;
    }
    return expiring.contains(id) ? 0 : Math.max(0, (expiry - nowNanos) / 1_000_000);
  }

  /**
   * Leases whose expiry has passed and that are not being expired yet, at most {@code max}, in id order; they are
   * being expired until the revoke is applied or {@link #expireNotApplied} hands them back to be taken again.
   */
  public synchronized List<Long> takeExpired(long nowNanos, int max) {
    List<Long> expired = new ArrayList<>();
    if (!holder) {
      return expired;
    }
    for (Map.Entry<Long, Long> entry : expiryNanos.entrySet()) {
      if (expired.size() >= max) {
        break;
      }
      if (nowNanos - entry.getValue() >= 0 && !expiring.contains(entry.getKey())) {
        expired.add(entry.getKey());
      }
    }
    expiring.addAll(expired);
    expired.sort(null);
    return expired;
  }

  /** Proposing their expiry failed or its outcome is unknown: take them again on the next round (it is idempotent). */
  public synchronized void expireNotApplied(List<Long> ids) {
    ids.forEach(expiring::remove);
  }

  /** Revoked leases whose keys in other groups may still be there, in id order. */
  public synchronized List<Long> revokedPendingCleanup() {
    return new ArrayList<>(revoked);
  }

  public synchronized int activeLeases() {
    return ttlMillisOf.size();
  }
}
