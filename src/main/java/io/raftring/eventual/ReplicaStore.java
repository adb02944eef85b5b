package io.raftring.eventual;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * This node's replicas of the eventual keyspace: every key it holds as a home replica (and the keys it coordinated),
 * on disk in ring order, with what follows them: a Merkle tree per peer over the keys the two share, and the keys that
 * are only tombstones, with when they were deleted and since when this replica holds them so.
 *
 * <p>Storage keys are the key's 4-byte ring position then its UTF-8, so a tree leaf's keys are one range of the table.
 */
final class ReplicaStore {

  /** A key and the digest of its value here, for comparing leaves with a peer. */
  record KeyDigest(String key, long digest) {}

  /**
   * A key that is only tombstones here: when it was deleted (the physical time of its newest tombstone's hybrid
   * logical clock, the same on every replica) and when this replica came to hold it as such (local wall clock).
   */
  record Tombstone(long deletedAtMillis, long heldSinceMillis) {}

  private final VersionedTable table;
  private final String self;
  private final LongSupplier wallMillis;
  private final int leafBits;
  private final int fanOutBits;
  private volatile NodeRing ring;
  private volatile Map<String, MerkleTree> trees = Map.of();
  private final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();
  private final long tombstoneGraceMillis;
  /** Set when a change may have reached a tree but not the disk: the trees are rebuilt before they are trusted. */
  private final AtomicBoolean treesSuspect = new AtomicBoolean();

  ReplicaStore(VersionedTable table, String self, NodeRing ring, LongSupplier wallMillis, int leafBits,
      int fanOutBits, long tombstoneGraceMillis) {
    this.tombstoneGraceMillis = tombstoneGraceMillis;
    this.table = table;
    this.self = self;
    this.ring = ring;
    this.wallMillis = wallMillis;
    this.leafBits = leafBits;
    this.fanOutBits = fanOutBits;
    table.listen(this::followChange);
    rebuild(ring);
  }

  static byte[] storageKey(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + utf8.length).putInt((int) NodeRing.positionOf(key)).put(utf8).array();
  }

  static String keyOf(byte[] storageKey) {
    return new String(storageKey, 4, storageKey.length - 4, StandardCharsets.UTF_8);
  }

  NodeRing ring() {
    return ring;
  }

  /** The key's value here, EMPTY when this node has none. */
  VersionedValue read(String key) {
    TimedValue stored = table.get(storageKey(key));
    return stored == null ? VersionedValue.EMPTY : stored.value();
  }

  TimedValue readTimed(String key) {
    return table.get(storageKey(key));
  }

  /**
   * Merges a value received from elsewhere into this replica; completes once what changed is synced. A key that is
   * only tombstones past their grace period, arriving where the key is absent, is not taken in: here it was purged
   * already, and another replica that still holds it only has to purge it too.
   */
  CompletableFuture<VersionedTable.Change> merge(String key, VersionedValue incoming) {
    return update(key, current -> current.isEmpty() && current.clock().size() == 0 && incoming.isDeleted()
        && wallMillis.getAsLong() - deletedAtMillis(incoming) > tombstoneGraceMillis
        ? current
        : current.merge(incoming));
  }

  /** When a tombstone-only value was deleted: the physical time of its newest tombstone's hybrid logical clock. */
  static long deletedAtMillis(VersionedValue deleted) {
    return HybridLogicalClock.physicalMillis(deleted.maxTimestamp());
  }

  /** Replaces the key's value by {@code update} of it (EMPTY when absent); completes once synced. */
  CompletableFuture<VersionedTable.Change> update(String key, UnaryOperator<VersionedValue> update) {
    CompletableFuture<VersionedTable.Change> change = table.update(storageKey(key), stored -> {
      VersionedValue before = stored == null ? VersionedValue.EMPTY : stored.value();
      VersionedValue after = update.apply(before);
      return after.equals(before) ? stored : new TimedValue(after, wallMillis.getAsLong());
    });
    change.whenComplete((c, failure) -> {
      if (failure != null) {
        treesSuspect.set(true);
      }
    });
    return change;
  }

  /** Removes a purged tombstone if it is still what {@code expected} was; completes once synced. */
  CompletableFuture<Boolean> purge(String key, TimedValue expected) {
    return table.removeIf(storageKey(key), expected);
  }

  /** The keys that are only tombstones here. */
  Map<String, Tombstone> tombstones() {
    return Map.copyOf(tombstones);
  }

  // ---- Merkle trees

  /** Rebuilds the trees from the table for {@code next} (a new ring), holding every key's lock meanwhile. */
  void rebuild(NodeRing next) {
    table.exclusively(() -> {
      Map<String, MerkleTree> fresh = new java.util.HashMap<>();
      for (String node : next.members()) {
        if (!node.equals(self)) {
          fresh.put(node, new MerkleTree(leafBits, fanOutBits));
        }
      }
      tombstones.clear();
      this.ring = next;
      this.trees = Map.copyOf(fresh);
      table.forEach((storageKey, value) -> followChange(storageKey, null, value));
      treesSuspect.set(false);
    });
  }

  /** Rebuilds the trees if a failed write may have left them out of step with the disk. */
  void rebuildIfSuspect() {
    if (treesSuspect.get()) {
      rebuild(ring);
    }
  }

  /** The tree of the keys shared with {@code peer} as it is now; null if the peer is not on the ring. */
  MerkleTree.Snapshot snapshot(String peer) {
    MerkleTree tree = trees.get(peer);
    return tree == null ? null : tree.snapshot();
  }

  int leafBits() {
    return leafBits;
  }

  /** The keys of {@code leaves} that this node shares with {@code peer}, with their digests, in ring order. */
  List<KeyDigest> entries(String peer, int[] leaves, int maxKeys) {
    List<KeyDigest> out = new ArrayList<>();
    NodeRing current = ring;
    int shift = 32 - leafBits;
    for (int leaf : leaves) {
      byte[] from = ByteBuffer.allocate(4).putInt((int) ((long) leaf << shift)).array();
      byte[] to = leaf + 1 == (1 << leafBits)
          ? null
          : ByteBuffer.allocate(4).putInt((int) ((long) (leaf + 1) << shift)).array();
      table.table().scan(from, to, (storageKey, bytes) -> {
        String key = keyOf(storageKey);
        List<String> replicas = current.preferenceList(key);
        if (replicas.contains(peer) && replicas.contains(self)) {
          out.add(new KeyDigest(key, TimedValue.fromBytes(bytes).value().digest()));
        }
        return out.size() < maxKeys;
      });
      if (out.size() >= maxKeys) {
        break;
      }
    }
    return out;
  }

  /** Keeps the trees and the tombstone list in step with one change of the table (called under the key's lock). */
  private void followChange(byte[] storageKey, TimedValue before, TimedValue after) {
    String key = keyOf(storageKey);
    if (after != null && after.value().isDeleted()) {
      // Held since its last change: a tombstone merged in later must reach the other replicas too before a purge.
      tombstones.put(key, new Tombstone(deletedAtMillis(after.value()), after.localMillis()));
    } else {
      tombstones.remove(key);
    }
    List<String> replicas = ring.preferenceList(key);
    if (!replicas.contains(self)) {
      return;
    }
    long position = NodeRing.positionOf(key);
    long beforeHash = before == null ? 0 : VersionedValue.entryHash(key, before.value().digest());
    long afterHash = after == null ? 0 : VersionedValue.entryHash(key, after.value().digest());
    Map<String, MerkleTree> current = trees;
    for (String peer : replicas) {
      MerkleTree tree = current.get(peer);
      if (tree != null) {
        tree.replace(position, beforeHash, afterHash);
      }
    }
  }
}
