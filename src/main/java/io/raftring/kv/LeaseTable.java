package io.raftring.kv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lease part of one group's state (etcd's lessor state, minus the clock): the leases granted in this group, which
 * keys of this group are attached to which lease (of any group), the recently revoked leases, and which node runs the
 * group's lessor in which epoch.
 *
 * <p>A key's group is rarely its lease's group, so a revoke reaches the other groups as entries of their own logs. A
 * put racing that deletion must not leave a key behind: each group remembers the last {@link #MAX_REVOKED_REMEMBERED}
 * leases it saw revoked and refuses puts that name them. Either the put applies before the deletion (and is deleted
 * by it) or after (and is refused).
 *
 * <p>Deterministic (ordered maps, so deletions happen in the same order on every replica); not thread-safe.
 */
public final class LeaseTable {

  /** How many revoked lease ids a group remembers to refuse late puts with (about 16 bytes each). */
  static final int MAX_REVOKED_REMEMBERED = 10_000;

  private final NavigableMap<Long, LeaseRecord> leases = new TreeMap<>();
  private final Map<Long, NavigableSet<String>> keysOfLease = new HashMap<>();
  private final Map<String, Long> leaseOfKey = new HashMap<>();
  private final LinkedHashSet<Long> revoked = new LinkedHashSet<>();
  private long lessorEpoch;
  private String lessorNode = "";

  /** An immutable copy of the lease records and the lessor, for listeners and snapshots. */
  public record View(List<LeaseRecord> leases, String lessorNode, long lessorEpoch) {
    public static final View EMPTY = new View(List.of(), "", 0);

    public View {
      leases = List.copyOf(leases);
    }
  }

  // ---- leases granted here

  LeaseRecord lease(long id) {
    return leases.get(id);
  }

  /** A lease that exists here and is not revoked. */
  boolean isActive(long id) {
    LeaseRecord record = leases.get(id);
    return record != null && !record.revoked();
  }

  void grant(LeaseRecord lease) {
    leases.put(lease.id(), lease);
  }

  /** Marks a lease granted here as revoked (its record stays until {@link #forget}) and remembers the id. */
  void revokeGranted(long id) {
    leases.computeIfPresent(id, (k, record) -> record.asRevoked());
    rememberRevoked(id);
  }

  /** Drops a revoked lease's record once its keys are gone everywhere; an active lease stays. */
  boolean forget(long id) {
    LeaseRecord record = leases.get(id);
    if (record == null || !record.revoked()) {
      return false;
    }
    leases.remove(id);
    return true;
  }

  /**
   * Remembers that {@code id} was revoked, forgetting the oldest remembered beyond the bound, except ids that still
   * have keys here (held by a transaction's locks when the lease ended): those keys are deleted once released, which
   * is only known while the id is remembered.
   */
  void rememberRevoked(long id) {
    revoked.remove(id);
    revoked.add(id);
    if (revoked.size() > MAX_REVOKED_REMEMBERED) {
      Iterator<Long> oldest = revoked.iterator();
      while (oldest.hasNext()) {
        if (!keysOfLease.containsKey(oldest.next())) {
          oldest.remove();
          return;
        }
      }
    }
  }

  /** Whether a put naming {@code id} must be refused: the lease is known to be revoked here. */
  boolean isRevoked(long id) {
    LeaseRecord record = leases.get(id);
    return (record != null && record.revoked()) || revoked.contains(id);
  }

  // ---- keys attached to leases

  /** Attaches {@code key} to {@code lease}, or detaches it for {@link KvCommand#NO_LEASE}. */
  void attach(String key, long lease) {
    detach(key);
    if (lease != KvCommand.NO_LEASE) {
      leaseOfKey.put(key, lease);
      keysOfLease.computeIfAbsent(lease, l -> new TreeSet<>(KeyOrder.UTF8)).add(key);
    }
  }

  void detach(String key) {
    Long previous = leaseOfKey.remove(key);
    if (previous != null) {
      NavigableSet<String> keys = keysOfLease.get(previous);
      keys.remove(key);
      if (keys.isEmpty()) {
        keysOfLease.remove(previous);
      }
    }
  }

  /** The lease {@code key} is attached to, or {@link KvCommand#NO_LEASE}. */
  long leaseOf(String key) {
    return leaseOfKey.getOrDefault(key, KvCommand.NO_LEASE);
  }

  /** A copy of the keys of this group attached to {@code lease}, in key order. */
  List<String> keysOf(long lease) {
    NavigableSet<String> keys = keysOfLease.get(lease);
    return keys == null ? List.of() : new ArrayList<>(keys);
  }

  int attachedKeyCount() {
    return leaseOfKey.size();
  }

  // ---- the lessor

  long lessorEpoch() {
    return lessorEpoch;
  }

  String lessorNode() {
    return lessorNode;
  }

  void promote(String node) {
    lessorNode = node;
    lessorEpoch++;
  }

  // ---- whole-table views

  boolean isEmpty() {
    return leases.isEmpty() && leaseOfKey.isEmpty() && revoked.isEmpty() && lessorEpoch == 0;
  }

  public View view() {
    return new View(new ArrayList<>(leases.values()), lessorNode, lessorEpoch);
  }

  LeaseTable copy() {
    LeaseTable copy = new LeaseTable();
    copy.leases.putAll(leases);
    keysOfLease.forEach((lease, keys) -> copy.keysOfLease.put(lease, new TreeSet<>(keys)));
    copy.leaseOfKey.putAll(leaseOfKey);
    copy.revoked.addAll(revoked);
    copy.lessorEpoch = lessorEpoch;
    copy.lessorNode = lessorNode;
    return copy;
  }

  /**
   * The snapshot section: lessor epoch and node; leases; for each lease with keys here, its keys; the remembered
   * revoked ids, oldest first. Leases and keys in order, so equal tables write equal bytes.
   */
  void writeTo(DataOutputStream out) throws IOException {
    out.writeLong(lessorEpoch);
    writeString(out, lessorNode);
    out.writeInt(leases.size());
    for (LeaseRecord lease : leases.values()) {
      out.writeLong(lease.id());
      out.writeLong(lease.ttlMillis());
      out.writeBoolean(lease.revoked());
    }
    NavigableMap<Long, NavigableSet<String>> attached = new TreeMap<>(keysOfLease);
    out.writeInt(attached.size());
    for (Map.Entry<Long, NavigableSet<String>> entry : attached.entrySet()) {
      out.writeLong(entry.getKey());
      out.writeInt(entry.getValue().size());
      for (String key : entry.getValue()) {
        writeString(out, key);
      }
    }
    out.writeInt(revoked.size());
    for (long id : revoked) {
      out.writeLong(id);
    }
  }

  /** Reads what {@link #writeTo} wrote; {@code keyExists} says whether an attached key is in the snapshot's map. */
  static LeaseTable readFrom(DataInputStream in, java.util.function.Predicate<String> keyExists) throws IOException {
    LeaseTable table = new LeaseTable();
    table.lessorEpoch = in.readLong();
    table.lessorNode = readString(in);
    int leaseCount = count(in, "lease");
    for (int i = 0; i < leaseCount; i++) {
      long id = in.readLong();
      long ttl = in.readLong();
      boolean isRevoked = in.readBoolean();
      try {
        table.leases.put(id, new LeaseRecord(id, ttl, isRevoked));
      } catch (IllegalArgumentException e) {
        throw new KvSnapshotException("corrupt snapshot: lease " + i + ": " + e.getMessage(), e);
      }
    }
    int attachedCount = count(in, "attached lease");
    for (int i = 0; i < attachedCount; i++) {
      long lease = in.readLong();
      int keyCount = count(in, "attached key");
      if (lease <= 0 || keyCount == 0) {
        throw new KvSnapshotException("corrupt snapshot: attachment " + i + " of lease " + lease);
      }
      for (int k = 0; k < keyCount; k++) {
        String key = readString(in);
        if (!keyExists.test(key) || table.leaseOfKey.containsKey(key)) {
          throw new KvSnapshotException("corrupt snapshot: lease " + lease + " holds a missing or doubly attached key");
        }
        table.attach(key, lease);
      }
    }
    int revokedCount = count(in, "revoked lease");
    for (int i = 0; i < revokedCount; i++) {
      table.rememberRevoked(in.readLong());
    }
    return table;
  }

  private static int count(DataInputStream in, String what) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new KvSnapshotException("corrupt snapshot: negative " + what + " count " + count);
    }
    return count;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = StrictUtf8.encode(s);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = count(in, "string length");
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new java.io.EOFException();
    }
    try {
      return StrictUtf8.decode(bytes, 0, bytes.length);
    } catch (CharacterCodingException e) {
      throw new KvSnapshotException("corrupt snapshot: a lease section string is not UTF-8");
    }
  }

  /** Read-only view of the remembered revoked ids, oldest first (tests). */
  Iterable<Long> rememberedRevoked() {
    return Collections.unmodifiableSet(revoked);
  }
}
