package io.raftring.kv;

import io.raftring.raft.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The key-value state of one Raft group: a sorted map of keys to {@link KeyValue}s and the store revision, which
 * grows by one with every write that changes something (etcd's revision model), plus the group's {@link LeaseTable}.
 *
 * <p>Every change of a key goes through {@link #putKey} or {@link #deleteKey}, which record it as a {@link KvEvent};
 * the events of one applied entry go to the {@link KvListener} the machine was made with once the entry is applied.
 *
 * <p>Deterministic: results depend only on the commands applied and their order. Size limits are not checked here
 * (see {@link KvLimits}). Not thread-safe: the replica's actor is its only caller.
 */
public final class KvStateMachine implements StateMachine {

  private NavigableMap<String, KeyValue> entries = new TreeMap<>(KeyOrder.UTF8);
  private long revision;
  private LeaseTable leases = new LeaseTable();
  private final KvListener listener;
  /** What the entry being applied changed, handed to the listener when it is done. */
  private final List<KvEvent> events = new ArrayList<>();
  private final List<LeaseEvent> leaseEvents = new ArrayList<>();
  /** Keys a lease's end must not delete yet (a transaction's locks are on them); see {@link #holdLeaseDeletesOf}. */
  private java.util.function.Predicate<String> held = key -> false;

  public KvStateMachine() {
    this(KvListener.NONE);
  }

  /** A machine that tells {@code listener} what each applied entry changed; it starts empty, at revision 0. */
  public KvStateMachine(KvListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    listener.restored(0, LeaseTable.View.EMPTY);
  }

  /** Most exports held at once; starting another drops the one least recently read. */
  static final int MAX_EXPORTS = 2;

  /**
   * The frozen states that exports page through, by export id, least recently read first. They are not replicated
   * state: an export lives on the replica that answered its first page (the leader), and a finished export is
   * dropped. What an abandoned one holds goes once newer exports push it out.
   */
  private final Map<String, ExportView> exports = new LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ExportView> eldest) {
      return size() > MAX_EXPORTS;
    }
  };

  private record ExportView(NavigableMap<String, KeyValue> entries, long revision) {}

  // ---- the Raft replica's view: bytes in, bytes out

  /**
   * Applies a committed command. Bytes that do not decode are answered with {@link KvResult.Rejected} rather than an
   * exception: the entry is committed and every replica will see the same bytes, so the same refusal everywhere keeps
   * the replicas equal, where throwing would stop the group at this index.
   */
  @Override
  public byte[] apply(long index, byte[] command) {
    if (KvCodec.isRestoreChunk(command)) {
      KvRestoreChunk chunk;
      try {
        chunk = KvCodec.decodeRestoreChunk(command);
      } catch (KvCodecException e) {
        return KvCodec.encode(new KvResult.Rejected(
            KvErrorCode.BAD_REQUEST, "log entry " + index + " is not a restore chunk: " + e.getMessage()));
      }
      return KvCodec.encode(restore(chunk));
    }
    if (LeaseCodec.isCommand(command)) {
      LeaseCommand lease;
      try {
        lease = LeaseCodec.decodeCommand(command);
      } catch (KvCodecException e) {
        return KvCodec.encode(new KvResult.Rejected(
            KvErrorCode.BAD_REQUEST, "log entry " + index + " is not a lease command: " + e.getMessage()));
      }
      return LeaseCodec.encode(apply(lease));
    }
    KvCommand decoded;
    try {
      decoded = KvCodec.decodeCommand(command);
    } catch (KvCodecException e) {
      return KvCodec.encode(new KvResult.Rejected(
          KvErrorCode.BAD_REQUEST, "log entry " + index + " is not a KV command: " + e.getMessage()));
    }
    return KvCodec.encode(apply(decoded));
  }

  @Override
  public byte[] query(byte[] query) {
    if (LeaseCodec.isQuery(query)) {
      try {
        return LeaseCodec.encode(query(LeaseCodec.decodeQuery(query)));
      } catch (KvCodecException e) {
        return KvCodec.encode(new KvResult.Rejected(KvErrorCode.BAD_REQUEST, "not a lease query: " + e.getMessage()));
      }
    }
    KvQuery decoded;
    try {
      decoded = KvCodec.decodeQuery(query);
    } catch (KvCodecException e) {
      return KvCodec.encode(new KvResult.Rejected(KvErrorCode.BAD_REQUEST, "not a KV query: " + e.getMessage()));
    }
    return KvCodec.encode(query(decoded));
  }

  /**
   * A point-in-time view that the replica writes off its own thread. KeyValue is immutable, so a shallow copy of the
   * sorted map is a consistent snapshot: O(n) pointer copies on the replica's thread (tens of milliseconds at a
   * million keys) instead of serializing the whole state there.
   */
  @Override
  public SnapshotView snapshotView() {
    NavigableMap<String, KeyValue> frozen = new TreeMap<>(entries);
    LeaseTable frozenLeases = leases.copy();
    long at = revision;
    return out -> KvSnapshot.write(frozen, at, frozenLeases, out);
  }

  @Override
  public void writeSnapshot(OutputStream out) throws IOException {
    KvSnapshot.write(entries, revision, leases, out);
  }

  /** Replaces the state only once the whole snapshot has been read and checked; on any error the state is unchanged. */
  @Override
  public void restore(InputStream in) throws IOException {
    KvSnapshot.Contents contents = KvSnapshot.read(in);
    entries = contents.entries();
    revision = contents.revision();
    leases = contents.leases();
    listener.restored(revision, leases.view());
  }

  // ---- the typed view

  /** Applies a command; never throws for a command that could be constructed. */
  public KvResult apply(KvCommand command) {
    Objects.requireNonNull(command, "command");
    try {
      KeyValue current = entries.get(command.key());
      if (command instanceof KvCommand.Put put && put.lease() != KvCommand.NO_LEASE
          && leases.isRevoked(put.lease())) {
        return new KvResult.Rejected(KvErrorCode.NOT_FOUND,
            "lease " + LeaseIds.format(put.lease()) + " was revoked or has expired");
      }
      if (!command.condition().isMetBy(current)) {
        return new KvResult.Conflict(current == null ? 0 : current.modRevision(), revision);
      }
      if (command instanceof KvCommand.Put put) {
        return put(put, current);
      }
      return delete((KvCommand.Delete) command, current);
    } finally {
      emitChanges();
    }
  }

  /**
   * Makes a lease's revoke or expiry leave the keys {@code held} names in place, still attached to the ended lease,
   * until {@link #deleteKeysOfEndedLeases} is given them: a transaction's locks stand on them, and deleting a key a
   * prepared transaction has read or will write would change what it decided on. Deterministic as long as
   * {@code held} is a function of replicated state.
   */
  public void holdLeaseDeletesOf(java.util.function.Predicate<String> held) {
    this.held = Objects.requireNonNull(held, "held");
  }

  /**
   * Deletes those of {@code keys} that are still attached to a revoked or expired lease and no longer held (their
   * locks were released), in the given order, one revision each; returns how many went.
   */
  public long deleteKeysOfEndedLeases(List<String> keys) {
    try {
      long deleted = 0;
      for (String key : keys) {
        long lease = leases.leaseOf(key);
        if (lease != KvCommand.NO_LEASE && leases.isRevoked(lease) && !held.test(key)) {
          revision++;
          deleteKey(key);
          deleted++;
        }
      }
      return deleted;
    } finally {
      emitChanges();
    }
  }

  /** Applies a lease command; never throws for a command that could be constructed. */
  public LeaseResult apply(LeaseCommand command) {
    Objects.requireNonNull(command, "command");
    try {
      return applyLease(command);
    } finally {
      emitChanges();
    }
  }

  /** Answers a query from the applied state. */
  public KvResult query(KvQuery query) {
    Objects.requireNonNull(query, "query");
    if (query instanceof KvQuery.Get get) {
      KeyValue found = entries.get(get.key());
      return found == null ? new KvResult.NotFound(revision) : new KvResult.Found(found, revision);
    }
    if (query instanceof KvQuery.Export export) {
      return export(export);
    }
    return range(entries, revision, (KvQuery.Range) query, KvQuery.Range.MAX_PAGE_BYTES);
  }

  // ---- backup and restore

  /**
   * A page of an export: the first page freezes the applied state (a shallow copy, as for a snapshot view: KeyValue
   * is immutable), every page reads that copy.
   */
  private KvResult export(KvQuery.Export export) {
    ExportView view = exports.get(export.exportId());
    if (view == null) {
      if (export.pageToken().isPresent()) {
        return new KvResult.Rejected(KvErrorCode.NOT_FOUND, "export " + export.exportId()
            + " is not held by this replica (leadership moved, or newer exports replaced it); start a new export");
      }
      view = new ExportView(new TreeMap<>(entries), revision);
      exports.put(export.exportId(), view);
    }
    KvResult.RangePage page = range(view.entries(), view.revision(),
        new KvQuery.Between("", "", export.limit(), export.pageToken()), KvQuery.Export.MAX_PAGE_BYTES);
    if (!page.more()) {
      exports.remove(export.exportId());
    }
    return page;
  }

  /**
   * Installs a chunk of a backup: into an empty group, or one already at the chunk's revision (a restore under way),
   * with every key either absent or identical. All or nothing.
   */
  public KvResult restore(KvRestoreChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    boolean empty = revision == 0 && entries.isEmpty();
    if (!empty && revision != chunk.revision()) {
      return new KvResult.Rejected(KvErrorCode.CONFLICT, "the group is at revision " + revision + " with "
          + entries.size() + " keys, not empty and not at the backup's revision " + chunk.revision()
          + ": restore into a new cluster, and write nothing to it until the restore is done");
    }
    for (KeyValue keyValue : chunk.keyValues()) {
      KeyValue present = entries.get(keyValue.key());
      if (present != null && !present.equals(keyValue)) {
        return new KvResult.Rejected(KvErrorCode.CONFLICT, "key " + keyValue.key()
            + " already holds something else (mod_revision " + present.modRevision() + ")");
      }
    }
    revision = chunk.revision();
    for (KeyValue keyValue : chunk.keyValues()) {
      entries.put(keyValue.key(), keyValue); // a backup carries no leases: restored keys belong to none
    }
    // Like a snapshot installed: the history up to the backup's revision is not here, so watches cannot resume in it.
    listener.restored(revision, leases.view());
    return new KvResult.Restored(revision, entries.size());
  }

  /** Answers a lease query; a keep-alive renews the lease on the listener's clock, the replicated state stays as it is. */
  public LeaseResult query(LeaseQuery query) {
    Objects.requireNonNull(query, "query");
    if (query instanceof LeaseQuery.List) {
      return new LeaseResult.Listing(leases.view());
    }
    if (query instanceof LeaseQuery.KeepAliveMany many) {
      return keepAlive(many.ids());
    }
    long id = query instanceof LeaseQuery.Get get ? get.id() : ((LeaseQuery.KeepAlive) query).id();
    LeaseRecord lease = leases.lease(id);
    if (lease == null || lease.revoked()) {
      return LeaseResult.notFound(id);
    }
    if (query instanceof LeaseQuery.Get) {
      return new LeaseResult.Info(lease, listener.remainingMillis(id));
    }
    long remaining = listener.keepAlive(id, lease.ttlMillis());
    if (remaining < 0) {
      return new LeaseResult.Refused(LeaseResult.Reason.NOT_LESSOR,
          "this replica's node does not run the lessor of lease " + LeaseIds.format(id) + " now");
    }
    return new LeaseResult.Info(lease, remaining);
  }

  private LeaseResult keepAlive(List<Long> ids) {
    List<LeaseResult.Renewal> renewals = new ArrayList<>(ids.size());
    for (long id : ids) {
      LeaseRecord lease = leases.lease(id);
      if (lease == null || lease.revoked()) {
        renewals.add(new LeaseResult.Renewal(id, false, 0));
        continue;
      }
      long remaining = listener.keepAlive(id, lease.ttlMillis());
      if (remaining < 0) {
        // The lessor is the group's, so no lease of it is renewed here: the asker retries where it runs.
        return new LeaseResult.Refused(LeaseResult.Reason.NOT_LESSOR,
            "this replica's node does not run the lessor of this group's leases now");
      }
      renewals.add(new LeaseResult.Renewal(id, true, remaining));
    }
    return new LeaseResult.Renewals(renewals);
  }

  public Optional<KeyValue> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** The lease {@code key} is attached to, or {@link KvCommand#NO_LEASE}. */
  public long leaseOf(String key) {
    return leases.leaseOf(key);
  }

  /** The keys of this group attached to {@code lease}, in key order. */
  public List<String> keysOf(long lease) {
    return leases.keysOf(lease);
  }

  /** The store revision: the number of writes that changed something since the store was empty. */
  public long revision() {
    return revision;
  }

  public int size() {
    return entries.size();
  }

  /** Every entry in key order, read-only; for tests and diagnostics. */
  public NavigableMap<String, KeyValue> entries() {
    return Collections.unmodifiableNavigableMap(entries);
  }

  // ---- writes

  private KvResult put(KvCommand.Put put, KeyValue current) {
    revision++;
    putKey(put.key(), put.valueUnsafe(), put.lease());
    return new KvResult.Written(revision, Optional.ofNullable(current));
  }

  private KvResult delete(KvCommand.Delete delete, KeyValue current) {
    if (current == null) {
      // Nothing changes, so the revision stays: it counts changes, not requests.
      return new KvResult.Deleted(revision, Optional.empty());
    }
    revision++;
    deleteKey(delete.key());
    return new KvResult.Deleted(revision, Optional.of(current));
  }

  /**
   * Applies several unconditional puts and deletes as one change (a transaction's writes): they all take one new
   * store revision, as etcd gives every write of a Txn the same revision, so nobody can see the store between two of
   * them. No two may name the same key. When nothing changes (only deletes of absent keys, or no writes) the
   * revision stays.
   */
  public BatchApplied applyAtomically(List<KvCommand> writes) {
    Objects.requireNonNull(writes, "writes");
    try {
      return applyBatch(writes);
    } finally {
      emitChanges();
    }
  }

  private BatchApplied applyBatch(List<KvCommand> writes) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    boolean changes = false;
    for (KvCommand write : writes) {
      if (!(write.condition() instanceof KvCondition.Always)) {
        throw new IllegalArgumentException("a batch write takes no condition: " + write);
      }
      if (!seen.add(write.key())) {
        throw new IllegalArgumentException("a batch writes key '" + write.key() + "' twice");
      }
      changes |= write instanceof KvCommand.Put || entries.containsKey(write.key());
    }
    if (changes) {
      revision++;
    }
    List<Optional<KeyValue>> previous = new ArrayList<>(writes.size());
    for (KvCommand write : writes) {
      KeyValue current = entries.get(write.key());
      previous.add(Optional.ofNullable(current));
      if (write instanceof KvCommand.Put put) {
        putKey(put.key(), put.valueUnsafe(), put.lease());
      } else if (current != null) {
        deleteKey(current.key());
      }
    }
    return new BatchApplied(revision, previous);
  }

  /** What {@link #applyAtomically} did: the store revision after it, and each write's previous entry, in order. */
  public record BatchApplied(long revision, List<Optional<KeyValue>> previous) {
    public BatchApplied {
      previous = List.copyOf(previous);
    }
  }

  /**
   * The one way a key gets a value, at the current revision (the caller moved it on, once per change or once for
   * several changes made together, as a transaction's): attached to {@code lease} (or to none), recorded as an event.
   * Every put, single or part of a transaction, comes through here, and every removal through {@link #deleteKey}, so
   * whatever must see each change (a watch) looks only at these two.
   */
  private KeyValue putKey(String key, byte[] value, long lease) {
    KeyValue current = entries.get(key);
    KeyValue next = current == null
        ? new KeyValue(key, value, revision, revision, 1)
        : new KeyValue(key, value, current.createRevision(), revision, current.version() + 1);
    entries.put(key, next);
    leases.attach(key, lease);
    events.add(KvEvent.put(next, lease));
    return next;
  }

  /** The one way a key goes: at the current revision, detached from its lease, recorded as an event. */
  private KeyValue deleteKey(String key) {
    KeyValue removed = entries.remove(key);
    if (removed != null) {
      leases.detach(key);
      events.add(KvEvent.delete(key, revision));
    }
    return removed;
  }

  /** Hands what the last command changed to the listener. */
  private void emitChanges() {
    if (events.isEmpty() && leaseEvents.isEmpty()) {
      return;
    }
    List<KvEvent> changed = List.copyOf(events);
    List<LeaseEvent> leaseChanged = List.copyOf(leaseEvents);
    events.clear();
    leaseEvents.clear();
    listener.applied(revision, changed, leaseChanged);
  }

  // ---- leases

  private LeaseResult applyLease(LeaseCommand command) {
    if (command instanceof LeaseCommand.Grant grant) {
      if (leases.lease(grant.id()) != null || leases.isRevoked(grant.id())) {
        return new LeaseResult.Refused(LeaseResult.Reason.EXISTS,
            "lease id " + LeaseIds.format(grant.id()) + " is taken");
      }
      LeaseRecord lease = new LeaseRecord(grant.id(), grant.ttlMillis(), false);
      leases.grant(lease);
      leaseEvents.add(new LeaseEvent.Granted(lease));
      return new LeaseResult.Granted(lease.id(), lease.ttlMillis());
    }
    if (command instanceof LeaseCommand.Revoke revoke) {
      if (!leases.isActive(revoke.id())) {
        return LeaseResult.notFound(revoke.id());
      }
      return new LeaseResult.Applied(revokeGranted(revoke.id()), revision);
    }
    if (command instanceof LeaseCommand.Expire expire) {
      if (expire.epoch() != leases.lessorEpoch()) {
        return staleEpoch(expire.epoch());
      }
      long deleted = 0;
      for (long id : expire.ids()) {
        if (leases.isActive(id)) {
          deleted += revokeGranted(id);
        }
      }
      return new LeaseResult.Applied(deleted, revision);
    }
    if (command instanceof LeaseCommand.Promote promote) {
      if (promote.expectedEpoch() != leases.lessorEpoch()) {
        return staleEpoch(promote.expectedEpoch());
      }
      leases.promote(promote.node());
      leaseEvents.add(new LeaseEvent.LessorChanged(promote.node(), leases.lessorEpoch()));
      return new LeaseResult.Promoted(leases.lessorEpoch());
    }
    if (command instanceof LeaseCommand.DeleteKeys deleteKeys) {
      long deleted = 0;
      for (long id : deleteKeys.ids()) {
        leases.rememberRevoked(id);
        deleted += deleteKeysOf(id);
      }
      return new LeaseResult.Applied(deleted, revision);
    }
    LeaseCommand.Forget forget = (LeaseCommand.Forget) command;
    long forgotten = 0;
    for (long id : forget.ids()) {
      if (leases.forget(id)) {
        leaseEvents.add(new LeaseEvent.Forgotten(id));
        forgotten++;
      }
    }
    return new LeaseResult.Applied(forgotten, revision);
  }

  /** Revokes a lease granted here and deletes its keys in this group, one revision each; returns how many. */
  private long revokeGranted(long id) {
    leases.revokeGranted(id);
    leaseEvents.add(new LeaseEvent.Revoked(id));
    return deleteKeysOf(id);
  }

  /** Deletes the lease's keys here, one revision each, except held ones (they go when released); returns how many. */
  private long deleteKeysOf(long lease) {
    long deleted = 0;
    for (String key : leases.keysOf(lease)) {
      if (!held.test(key)) {
        revision++;
        deleteKey(key);
        deleted++;
      }
    }
    return deleted;
  }

  private LeaseResult staleEpoch(long proposed) {
    return new LeaseResult.Refused(LeaseResult.Reason.STALE_EPOCH, "lessor epoch " + proposed + " is over: node '"
        + leases.lessorNode() + "' runs the lessor in epoch " + leases.lessorEpoch());
  }

  // ---- ranges

  /** A page of {@code range} over {@code map}, a store at {@code atRevision}; keys and values stop at maxBytes. */
  private static KvResult.RangePage range(
      NavigableMap<String, KeyValue> map, long atRevision, KvQuery.Range range, long maxBytes) {
    String start;
    String endExclusive;
    String requiredPrefix;
    if (range instanceof KvQuery.Prefix prefix) {
      start = prefix.prefix();
      endExclusive = null;
      requiredPrefix = prefix.prefix();
    } else {
      KvQuery.Between between = (KvQuery.Between) range;
      start = between.fromKey();
      endExclusive = between.hasUpperBound() ? between.toKey() : null;
      requiredPrefix = null;
    }
    if (range.pageToken().isPresent()) {
      String tokenKey = KvPageToken.decode(range.pageToken().get());
      if (KeyOrder.compare(tokenKey, start) > 0) {
        start = tokenKey;
      }
    }
    if (endExclusive != null && KeyOrder.compare(start, endExclusive) >= 0) {
      return new KvResult.RangePage(List.of(), Optional.empty(), atRevision);
    }
    NavigableMap<String, KeyValue> span =
        endExclusive == null ? map.tailMap(start, true) : map.subMap(start, true, endExclusive, false);

    List<KeyValue> page = new ArrayList<>(Math.min(range.limit(), 64));
    long pageBytes = 0;
    Optional<String> nextPageToken = Optional.empty();
    for (KeyValue keyValue : span.values()) {
      // Keys with a prefix are contiguous in code point order, so the first key without it ends the range.
      if (requiredPrefix != null && !keyValue.key().startsWith(requiredPrefix)) {
        break;
      }
      long entryBytes = KvQuery.Range.pageBytes(keyValue);
      boolean full = page.size() == range.limit()
          || (!page.isEmpty() && pageBytes + entryBytes > maxBytes);
      if (full) {
        nextPageToken = Optional.of(KvPageToken.encode(keyValue.key()));
        break;
      }
      page.add(keyValue);
      pageBytes += entryBytes;
    }
    return new KvResult.RangePage(page, nextPageToken, atRevision);
  }
}
