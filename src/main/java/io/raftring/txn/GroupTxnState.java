package io.raftring.txn;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyOrder;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvPageToken;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvStateMachine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The transaction state of one group, beside its key-value state: the locks and redo/undo of transactions prepared
 * here (this group as a participant), the records of transactions whose id names this group (this group as their
 * coordinator), and the transactions recently finished here. Commands change it in log order; it is part of the
 * group's snapshot.
 *
 * <p>Deterministic: the time it reasons with is the latest {@code nowMillis} its commands brought, never a clock.
 * Not thread-safe: the replica's actor is its only caller.
 */
final class GroupTxnState {

  /**
   * A prepare or one-group transaction whose transaction began this long before the latest time this group's log
   * brought is refused: its coordinator has given up on it (a transaction's deadline is shorter), and its record may
   * already be forgotten, so applying it now could not be told apart from never.
   */
  static final long MAX_TXN_AGE_MILLIS = 30_000;

  /** Decided records and finished marks are kept this long after their transaction began (then forgotten). */
  static final long RETENTION_MILLIS = 60_000;

  /**
   * A committed two-phase record that was never settled (its coordinator died before every participant confirmed
   * the commit) is forgotten this long after its transaction began, to bound memory. A participant that still holds
   * such a transaction's locks after that is left in doubt rather than guessed at (see {@link Resolution}).
   */
  static final long UNSETTLED_RETENTION_MILLIS = 3_600_000;

  private static final long FORGET_EVERY_MILLIS = 5_000;

  /** Everything, for snapshots. */
  record Contents(long clockMillis, long lastGcMillis, List<PreparedTxn> prepared, List<TxnRecord> records,
      List<TxnId> finished) {}

  private final LockTable locks;
  private final Map<TxnId, PreparedTxn> prepared;
  private final Map<TxnId, TxnRecord> records;
  private final Set<TxnId> finished;
  private long clockMillis;
  private long lastGcMillis;

  GroupTxnState() {
    this(new Contents(0, 0, List.of(), List.of(), List.of()));
  }

  GroupTxnState(Contents contents) {
    this.locks = new LockTable();
    this.prepared = new LinkedHashMap<>();
    this.records = new LinkedHashMap<>();
    this.finished = new LinkedHashSet<>(contents.finished());
    this.clockMillis = contents.clockMillis();
    this.lastGcMillis = contents.lastGcMillis();
    for (PreparedTxn p : contents.prepared()) {
      prepared.put(p.id(), p);
      locks.acquire(p.locks());
    }
    contents.records().forEach(r -> records.put(r.id(), r));
  }

  Contents contents() {
    return new Contents(clockMillis, lastGcMillis, List.copyOf(prepared.values()), List.copyOf(records.values()),
        List.copyOf(finished));
  }

  // ---- commands

  TxnResult apply(TxnCommand command, KvStateMachine kv) {
    advanceClock(command.nowMillis());
    if (command instanceof TxnCommand.Execute execute) {
      return execute(execute, kv);
    }
    if (command instanceof TxnCommand.Prepare prepare) {
      return prepare(prepare, kv);
    }
    if (command instanceof TxnCommand.Commit commit) {
      return commit(commit, kv);
    }
    if (command instanceof TxnCommand.Settle settle) {
      return settle(settle);
    }
    return abort((TxnCommand.Abort) command);
  }

  /** A one-group transaction: blocked by conflicting locks, else evaluated and applied at one new revision. */
  private TxnResult execute(TxnCommand.Execute command, KvStateMachine kv) {
    TxnId id = command.id();
    TxnRecord earlier = records.get(id);
    if (earlier != null) {
      return new TxnResult.Committed(earlier.revision(), earlier.succeeded());
    }
    if (tooOld(id)) {
      return new TxnResult.Refused(tooOldReason(id), List.of());
    }
    TxnExecution.KvView view = view(kv);
    TxnRequest request = command.request();
    boolean succeeded = TxnExecution.comparesHold(request.compares(), view);
    List<KeyLock> blocking = blockingLocks(request.compares(), request.branch(succeeded), true);
    if (!blocking.isEmpty()) {
      return new TxnResult.Blocked(blocking, Optional.empty());
    }
    TxnExecution.BranchRun run = TxnExecution.run(request.branch(succeeded), view);
    long revision = kv.applyAtomically(run.writes()).revision();
    records.put(id, TxnRecord.oneGroup(id, succeeded, revision));
    return new TxnResult.Done(succeeded, revision, run.appliedAt(revision));
  }

  /** Phase one here: all locks or none, then the compares, both branches' reads, redo and undo. */
  private TxnResult prepare(TxnCommand.Prepare command, KvStateMachine kv) {
    TxnId id = command.id();
    TxnExecution.KvView view = view(kv);
    PreparedTxn already = prepared.get(id);
    if (already != null) {
      // The same prepare again (a retry whose first answer was lost): the locks kept the answer as it was.
      return preparedAnswer(command.part(), view, already.comparesHeld());
    }
    if (finished.contains(id)) {
      return new TxnResult.Refused("transaction " + id + " has already finished here", List.of());
    }
    TxnRecord record = records.get(id);
    if (record != null) {
      return new TxnResult.Refused("transaction " + id + " is already " + record.state().label(), List.of());
    }
    if (tooOld(id)) {
      return new TxnResult.Refused(tooOldReason(id), List.of());
    }
    TxnRequest part = command.part();
    if (part.success().stream().anyMatch(op -> op instanceof TxnOp.Range)
        || part.failure().stream().anyMatch(op -> op instanceof TxnOp.Range)) {
      return new TxnResult.Refused("a range cannot be part of a transaction over several groups", List.of());
    }
    Set<String> exclusive = part.writtenKeys();
    Set<String> shared = new LinkedHashSet<>(part.keys());
    shared.removeAll(exclusive);
    List<KeyLock> conflicts = locks.conflicts(id.toString(), exclusive, shared);
    if (!conflicts.isEmpty()) {
      return new TxnResult.Refused("locked by another transaction", conflicts);
    }
    boolean comparesHeld = TxnExecution.comparesHold(part.compares(), view);
    TxnExecution.BranchRun success = TxnExecution.run(part.success(), view);
    TxnExecution.BranchRun failure = TxnExecution.run(part.failure(), view);
    List<PreparedTxn.Undo> undo = new ArrayList<>();
    for (String key : exclusive) {
      undo.add(new PreparedTxn.Undo(key, view.get(key)));
    }
    List<KeyLock> taken = new ArrayList<>();
    for (String key : exclusive) {
      taken.add(new KeyLock(key, id.toString(), id.group(), command.expiresAtMillis(), true));
    }
    for (String key : shared) {
      taken.add(new KeyLock(key, id.toString(), id.group(), command.expiresAtMillis(), false));
    }
    locks.acquire(taken);
    prepared.put(id, new PreparedTxn(id, command.recordHere(), command.nowMillis(), command.expiresAtMillis(),
        comparesHeld, success.writes(), failure.writes(), undo, taken));
    if (command.recordHere()) {
      records.put(id, TxnRecord.pending(id, command.participants()));
    }
    return new TxnResult.Prepared(comparesHeld, success.results(), failure.results());
  }

  private static TxnResult preparedAnswer(TxnRequest part, TxnExecution.KvView view, boolean comparesHeld) {
    return new TxnResult.Prepared(comparesHeld, TxnExecution.run(part.success(), view).results(),
        TxnExecution.run(part.failure(), view).results());
  }

  /** Phase two, commit: in the record group the commit point, unless an abort came first. */
  private TxnResult commit(TxnCommand.Commit command, KvStateMachine kv) {
    TxnId id = command.id();
    TxnRecord record = records.get(id);
    if (command.recordHere()) {
      if (record == null) {
        return new TxnResult.NotPrepared(finished.contains(id));
      }
      if (record.state() == TxnRecord.State.ABORTED) {
        return new TxnResult.Aborted("transaction " + id + " was aborted before it could commit");
      }
      if (record.state() == TxnRecord.State.COMMITTED) {
        return new TxnResult.Committed(record.revision(), record.succeeded());
      }
    }
    PreparedTxn p = prepared.remove(id);
    if (p == null) {
      return new TxnResult.NotPrepared(finished.contains(id));
    }
    List<KvCommand> redo = p.redo(command.succeeded());
    long revision = redo.isEmpty() ? 0 : kv.applyAtomically(redo).revision();
    locks.release(id.toString(), p.lockedKeys());
    finished.add(id);
    if (command.recordHere()) {
      records.put(id, record.committed(command.succeeded(), revision));
    }
    return new TxnResult.Committed(revision, command.succeeded());
  }

  /**
   * Phase two, abort: release the locks (the keys still hold their undo images, since writes wait for commit) and
   * remember the transaction as finished, so a prepare that arrives late is refused. In the record group, decide the
   * record aborted (creating it if the prepare has not come yet), unless it was committed first.
   */
  private TxnResult abort(TxnCommand.Abort command) {
    TxnId id = command.id();
    if (command.recordHere()) {
      TxnRecord record = records.get(id);
      if (record != null && record.state() == TxnRecord.State.COMMITTED) {
        return new TxnResult.Committed(record.revision(), record.succeeded());
      }
      records.put(id, record == null ? TxnRecord.abortedUnprepared(id) : record.aborted());
    }
    PreparedTxn p = prepared.remove(id);
    if (p != null) {
      locks.release(id.toString(), p.lockedKeys());
    }
    finished.add(id);
    return new TxnResult.Aborted("transaction " + id + " is aborted");
  }

  /** Every participant applied the commit: the record may be forgotten after the usual retention. */
  private TxnResult settle(TxnCommand.Settle command) {
    TxnRecord record = records.get(command.id());
    if (record == null || record.state() != TxnRecord.State.COMMITTED) {
      return new TxnResult.NotPrepared(record != null);
    }
    records.put(command.id(), record.settle());
    return new TxnResult.Committed(record.revision(), record.succeeded());
  }

  // ---- queries

  /** A read-only one-group transaction from the committed state; blocked (with that answer) by write locks. */
  TxnResult read(TxnQuery.Read query, KvStateMachine kv) {
    TxnExecution.KvView view = view(kv);
    TxnRequest request = query.request();
    boolean succeeded = TxnExecution.comparesHold(request.compares(), view);
    List<OpResult> results = TxnExecution.run(request.branch(succeeded), view).results();
    TxnResult.Done done = new TxnResult.Done(succeeded, kv.revision(), results);
    List<KeyLock> blocking = blockingLocks(request.compares(), request.branch(succeeded), false);
    return blocking.isEmpty() ? done : new TxnResult.Blocked(blocking, Optional.of(done));
  }

  TxnResult recordOf(TxnQuery.RecordOf query) {
    return new TxnResult.Record(Optional.ofNullable(records.get(query.id())), clockMillis);
  }

  TxnResult listPrepared(TxnQuery.ListPrepared query) {
    List<TxnResult.PreparedSummary> oldestFirst = prepared.values().stream()
        .sorted(Comparator.comparingLong(PreparedTxn::preparedAtMillis))
        .limit(query.limit())
        .map(p -> new TxnResult.PreparedSummary(p.id(), p.recordHere(), p.preparedAtMillis(), p.expiresAtMillis()))
        .toList();
    return new TxnResult.PreparedList(oldestFirst, locks.size(), prepared.size());
  }

  /** The keys the transaction holds locks on here (none if it is not prepared here). */
  List<String> lockedKeysOf(TxnId id) {
    PreparedTxn p = prepared.get(id);
    return p == null ? List.of() : p.lockedKeys();
  }

  // ---- what plain KV requests meet

  /** Locks that stop a put or delete of {@code key}: any lock, shared or exclusive. */
  List<KeyLock> locksBlockingWrite(String key) {
    return locks.on(key);
  }

  /** Write locks in the keys a read answered from (a get's key, or the span of a range page). */
  List<KeyLock> locksBlockingRead(KvQuery query, KvResult answer) {
    if (query instanceof KvQuery.Get get) {
      return locks.exclusiveOn(get.key());
    }
    if (!(answer instanceof KvResult.RangePage page)) {
      return List.of();
    }
    String from;
    String to;
    String requiredPrefix = null;
    if (query instanceof KvQuery.Prefix prefix) {
      from = prefix.prefix();
      to = null;
      requiredPrefix = prefix.prefix();
    } else {
      KvQuery.Between between = (KvQuery.Between) query;
      from = between.fromKey();
      to = between.hasUpperBound() ? between.toKey() : null;
    }
    KvQuery.Range range = (KvQuery.Range) query;
    if (range.pageToken().isPresent()) {
      String tokenKey = KvPageToken.decode(range.pageToken().get());
      if (KeyOrder.UTF8.compare(tokenKey, from) > 0) {
        from = tokenKey;
      }
    }
    if (page.nextPageToken().isPresent()) {
      to = KvPageToken.decode(page.nextPageToken().get());
    }
    if (to != null && KeyOrder.UTF8.compare(from, to) >= 0) {
      return List.of();
    }
    return locks.exclusiveIn(from, to, requiredPrefix);
  }

  int lockedKeys() {
    return locks.size();
  }

  int preparedCount() {
    return prepared.size();
  }

  // ---- helpers

  /**
   * Locks that stop a one-group transaction touching these keys: for its writes any lock, for its reads (compares,
   * gets, ranges) write locks. {@code forWrites}: the transaction applies now, so its writes count.
   */
  private List<KeyLock> blockingLocks(List<Compare> compares, List<TxnOp> branch, boolean forWrites) {
    Set<KeyLock> blocking = new LinkedHashSet<>();
    compares.forEach(c -> blocking.addAll(locks.exclusiveOn(c.key())));
    for (TxnOp op : branch) {
      if (op.isWrite()) {
        if (forWrites) {
          blocking.addAll(locks.on(op.key()));
        }
      } else if (op instanceof TxnOp.Range range) {
        blocking.addAll(locks.exclusiveIn(range.prefix(), null, range.prefix()));
      } else {
        blocking.addAll(locks.exclusiveOn(op.key()));
      }
    }
    return List.copyOf(blocking);
  }

  private boolean tooOld(TxnId id) {
    return id.startMillis() + MAX_TXN_AGE_MILLIS < clockMillis;
  }

  private String tooOldReason(TxnId id) {
    return "transaction " + id + " began more than " + MAX_TXN_AGE_MILLIS / 1000
        + " s before the latest transaction this group has seen; it is too old to apply";
  }

  /** Moves the clock to {@code nowMillis} if later, and now and then forgets what is past its retention. */
  private void advanceClock(long nowMillis) {
    clockMillis = Math.max(clockMillis, nowMillis);
    if (clockMillis - lastGcMillis < FORGET_EVERY_MILLIS) {
      return;
    }
    lastGcMillis = clockMillis;
    long forgetBefore = clockMillis - RETENTION_MILLIS;
    long forgetUnsettledBefore = clockMillis - UNSETTLED_RETENTION_MILLIS;
    records.values().removeIf(r -> r.isDecided()
        && r.id().startMillis() < (r.settled() ? forgetBefore : forgetUnsettledBefore));
    finished.removeIf(id -> id.startMillis() < forgetBefore);
  }

  private static TxnExecution.KvView view(KvStateMachine kv) {
    return new TxnExecution.KvView() {
      @Override
      public Optional<KeyValue> get(String key) {
        return kv.get(key);
      }

      @Override
      public KvResult.RangePage range(KvQuery.Prefix query) {
        return (KvResult.RangePage) kv.query(query);
      }

      @Override
      public long revision() {
        return kv.revision();
      }
    };
  }
}
