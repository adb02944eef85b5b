package io.raftring.txn;

import io.raftring.kv.KvLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs transactions from this node. One whose keys all live in one group is one entry in that group's log
 * ({@link TxnCommand.Execute}), retried while it meets locks. Otherwise it commits in two phases:
 *
 * <ol>
 *   <li>prepare in every participant group at once (each a log entry holding that group's redo, undo and locks); a
 *       prepare that meets locks follows {@link ConflictRule} (wait, or abort and start again);
 *   <li>once all are prepared, commit in the record group: that log entry decides the record and is the commit
 *       point; the answer goes back to the caller;
 *   <li>commit in the other groups, then settle the record. A participant that never hears its commit is finished
 *       by {@link LockResolver} from the record (when a request meets its locks, or by recovery's sweep).
 * </ol>
 *
 * A read-only transaction over several groups prepares (taking read locks, so its reads are one consistent
 * snapshot: nothing it read can change until all were taken), answers, and releases them.
 *
 * <p>Never blocks a thread: every step is a stage; pauses go through the scheduler.
 */
public final class TxnCoordinator {

  /** The longest a transaction may take, whatever the caller asks: well within what a group still accepts. */
  static final Duration MAX_DEADLINE = Duration.ofMillis(GroupTxnState.MAX_TXN_AGE_MILLIS / 2);

  /** An attempt stops retrying its prepares this long before its locks expire, so its commit can still land. */
  private static final long EXPIRY_MARGIN_MILLIS = 100;
  /** How often phase two is sent to a participant before it is left to recovery. */
  private static final int PARTICIPANT_COMMIT_TRIES = 3;

  private final String node;
  private final GroupClient groups;
  private final KeyRouting routing;
  private final KvLimits limits;
  private final TxnSettings settings;
  private final LockResolver resolver;
  private final TxnScheduler scheduler;
  private final LongSupplier wallMillis;
  private final LongSupplier nanoTime;
  private final TxnMetrics metrics;
  private final AtomicLong sequence = new AtomicLong();
  private volatile java.util.function.Consumer<Phase> phases = phase -> { };

  /** The points of a two-phase transaction an observer can watch (fault injection kills the node at one). */
  public enum Phase {
    /** Every prepare of an attempt has been sent, none answered yet. */
    PREPARES_SENT,
    /** Every participant is prepared; the commit is not sent yet. */
    ALL_PREPARED,
    /** The record group committed (the commit point); the other participants have not been told yet. */
    RECORD_COMMITTED
  }

  public TxnCoordinator(String node, GroupClient groups, KeyRouting routing, KvLimits limits, TxnSettings settings,
      LockResolver resolver, TxnScheduler scheduler, LongSupplier wallMillis, LongSupplier nanoTime,
      TxnMetrics metrics) {
    this.node = node;
    this.groups = groups;
    this.routing = routing;
    this.limits = limits;
    this.settings = settings;
    this.resolver = resolver;
    this.scheduler = scheduler;
    this.wallMillis = wallMillis;
    this.nanoTime = nanoTime;
    this.metrics = metrics;
  }

  /**
   * Runs {@code request} within {@code timeout}. Invalid input throws {@link io.raftring.kv.KvValidationException}
   * before anything is sent; otherwise the stage completes with the outcome and never fails.
   */
  public CompletionStage<TxnOutcome> execute(TxnRequest request, Duration timeout) {
    TxnPlan plan = TxnPlan.of(request, routing, limits, settings);
    Duration bounded = timeout.compareTo(MAX_DEADLINE) > 0 ? MAX_DEADLINE : timeout;
    long deadlineNanos = nanoTime.getAsLong() + bounded.toNanos();
    TxnId id = new TxnId(plan.recordGroup(), wallMillis.getAsLong(), sequence.incrementAndGet(), 0, node);
    if (!plan.twoPhase()) {
      CompletionStage<TxnOutcome> outcome = request.isReadOnly()
          ? readOneGroup(plan.recordGroup(), request, deadlineNanos, 0)
          : executeOneGroup(id, request, deadlineNanos, 0);
      return outcome.whenComplete((o, e) -> metrics.outcome(TxnMetrics.Path.ONE_GROUP, o));
    }
    return new TwoPhase(plan, deadlineNanos).run(id)
        .whenComplete((o, e) -> metrics.outcome(TxnMetrics.Path.TWO_PHASE, o));
  }

  /** Calls {@code observer} at each {@link Phase} of every two-phase transaction this node coordinates. */
  public void observePhases(java.util.function.Consumer<Phase> observer) {
    this.phases = observer;
  }

  /** A transaction that began longer ago than this (on its group's clock) is refused by every group. */
  public static long maxTransactionAgeMillis() {
    return GroupTxnState.MAX_TXN_AGE_MILLIS;
  }

  /** How long after it began a decided transaction's record is kept (a committed two-phase one, until settled). */
  public static long recordRetentionMillis() {
    return GroupTxnState.RETENTION_MILLIS;
  }

  /** The record of {@code id}: how it ended, as far as its record group knows now. */
  public CompletionStage<TxnResult.Record> record(TxnId id, Duration timeout) {
    return groups.read(id.group(), TxnCodec.encode(new TxnQuery.RecordOf(id)), timeout)
        .thenApply(bytes -> (TxnResult.Record) TxnCodec.decodeResult(bytes));
  }

  // ---- one group

  private CompletionStage<TxnOutcome> executeOneGroup(TxnId id, TxnRequest request, long deadlineNanos,
      int attempt) {
    String group = id.group();
    return groups.propose(group, TxnCodec.encode(new TxnCommand.Execute(id, wallMillis.getAsLong(), request)),
            remaining(deadlineNanos))
        .handle((bytes, error) -> {
          if (error != null) {
            return done(groups.mayHaveApplied(error)
                ? new TxnOutcome.Unknown(id, "no answer from " + group + " in time: " + message(error))
                : new TxnOutcome.Aborted(id, "group " + group + " could not take it: " + message(error), error));
          }
          TxnResult result = TxnCodec.decodeResult(bytes);
          if (result instanceof TxnResult.Done done) {
            return done(new TxnOutcome.Completed(Optional.of(id), done.succeeded(), done.revision(), group, false,
                done.results()));
          }
          if (result instanceof TxnResult.Committed committed) {
            return done(new TxnOutcome.Completed(Optional.of(id), committed.succeeded(), committed.revision(), group,
                false, List.of()));
          }
          if (result instanceof TxnResult.Blocked blocked) {
            return resolver.awaitRelease(group, blocked.locks(), attempt, deadlineNanos).thenCompose(retry -> retry
                ? executeOneGroup(id, request, deadlineNanos, attempt + 1)
                : done(conflict(id, blocked.locks().get(0), "its keys stayed locked until its deadline")));
          }
          return done(new TxnOutcome.Aborted(id, describe(result), null));
        })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<TxnOutcome> readOneGroup(String group, TxnRequest request, long deadlineNanos,
      int attempt) {
    return groups.read(group, TxnCodec.encode(new TxnQuery.Read(request)), remaining(deadlineNanos))
        .handle((bytes, error) -> {
          if (error != null) {
            return done(new TxnOutcome.Aborted(null, "group " + group + " could not be read: " + message(error),
                error));
          }
          TxnResult result = TxnCodec.decodeResult(bytes);
          if (result instanceof TxnResult.Done done) {
            return done(completedRead(group, done));
          }
          if (result instanceof TxnResult.Blocked blocked) {
            return resolver.readThrough(group, blocked.locks(), attempt, deadlineNanos).thenCompose(readThrough -> {
              if (readThrough) {
                return done(completedRead(group, blocked.committed().orElseThrow()));
              }
              return resolver.hasTime(deadlineNanos) ? readOneGroup(group, request, deadlineNanos, attempt + 1)
                  : done(new TxnOutcome.Aborted(null, "its keys stayed locked by a committing transaction until"
                      + " its deadline", null));
            });
          }
          return done(new TxnOutcome.Aborted(null, describe(result), null));
        })
        .thenCompose(stage -> stage);
  }

  private static TxnOutcome completedRead(String group, TxnResult.Done done) {
    return new TxnOutcome.Completed(Optional.empty(), done.succeeded(), done.revision(), group, false,
        done.results());
  }

  // ---- two phases

  /** One two-phase transaction, through its attempts. Its fields are guarded by its own monitor. */
  private final class TwoPhase {
    private final TxnPlan plan;
    private final long deadlineNanos;
    private final CompletableFuture<TxnOutcome> outcome = new CompletableFuture<>();
    private TxnId attemptId;
    private long expiresAtMillis;
    private long preparesSentNanos;
    private Map<String, TxnResult.Prepared> prepared;
    private boolean attemptOver;
    /** A commit was sent whose fate is unknown: from then on, giving up means answering "unknown". */
    private volatile boolean commitUncertain;

    TwoPhase(TxnPlan plan, long deadlineNanos) {
      this.plan = plan;
      this.deadlineNanos = deadlineNanos;
    }

    CompletionStage<TxnOutcome> run(TxnId first) {
      attempt(first);
      return outcome;
    }

    private void attempt(TxnId id) {
      synchronized (this) {
        attemptId = id;
        prepared = new HashMap<>();
        attemptOver = false;
        long lockMillis = Math.min(settings.lockTtl().toMillis(), remaining(deadlineNanos).toMillis());
        expiresAtMillis = wallMillis.getAsLong() + lockMillis;
        preparesSentNanos = nanoTime.getAsLong();
      }
      for (String group : plan.groups()) {
        prepare(id, group, 0);
      }
      phases.accept(Phase.PREPARES_SENT);
    }

    private void prepare(TxnId id, String group, int tries) {
      boolean recordHere = group.equals(plan.recordGroup());
      TxnCommand.Prepare command = new TxnCommand.Prepare(id, wallMillis.getAsLong(), expiresAtMillis, recordHere,
          recordHere ? plan.groups() : List.of(), plan.parts().get(group));
      groups.propose(group, TxnCodec.encode(command), remaining(deadlineNanos))
          .whenComplete((bytes, error) -> onPrepareAnswer(id, group, tries, bytes, error));
    }

    private void onPrepareAnswer(TxnId id, String group, int tries, byte[] bytes, Throwable error) {
      synchronized (this) {
        if (!id.equals(attemptId) || attemptOver) {
          return;
        }
      }
      if (error != null) {
        // A prepare is idempotent, so one whose fate is unknown is simply sent again.
        if (attemptHasTime()) {
          later(tries, () -> prepare(id, group, tries + 1));
        } else {
          failAttempt(id, "group " + group + " did not prepare in time: " + message(error), error, false);
        }
        return;
      }
      TxnResult result = TxnCodec.decodeResult(bytes);
      if (result instanceof TxnResult.Prepared p) {
        boolean all;
        synchronized (this) {
          // Only the answer that completes the set starts phase two, whatever answers come twice.
          all = prepared.put(group, p) == null && prepared.size() == plan.parts().size();
        }
        if (all) {
          commitPhase(id);
        }
      } else if (result instanceof TxnResult.Refused refused && !refused.conflicts().isEmpty()) {
        ConflictRule.Verdict verdict = ConflictRule.onConflict(id, refused.conflicts());
        metrics.conflict(verdict);
        String holder = refused.conflicts().get(0).txnId();
        String why = "key '" + refused.conflicts().get(0).key() + "' is locked by transaction " + holder;
        if (verdict == ConflictRule.Verdict.DIE) {
          failAttempt(id, why + ", which is older", null, true);
        } else if (attemptHasTime()) {
          long deadline = Math.min(deadlineNanos, nanoTime.getAsLong()
              + Math.max(0, expiresAtMillis - EXPIRY_MARGIN_MILLIS - wallMillis.getAsLong()) * 1_000_000);
          resolver.awaitRelease(group, refused.conflicts(), tries, deadline)
              .whenComplete((retry, e) -> {
                if (Boolean.TRUE.equals(retry)) {
                  prepare(id, group, tries + 1);
                } else {
                  failAttempt(id, why + " until this transaction's locks expired", null, false);
                }
              });
        } else {
          failAttempt(id, why + " until this transaction's locks expired", null, false);
        }
      } else {
        // Refused for good (its record was decided, or it is too old): start again if there is time.
        failAttempt(id, describe(result), null, true);
      }
    }

    private boolean attemptHasTime() {
      return wallMillis.getAsLong() < expiresAtMillis - EXPIRY_MARGIN_MILLIS && resolver.hasTime(deadlineNanos);
    }

    /** Ends the attempt: aborts it everywhere, then starts the next one or gives the caller the outcome. */
    private void failAttempt(TxnId id, String reason, Throwable cause, boolean restart) {
      synchronized (this) {
        if (!id.equals(attemptId) || attemptOver) {
          return;
        }
        attemptOver = true;
      }
      abortEverywhere(id).whenComplete((v, e) -> {
        if (restart && resolver.hasTime(deadlineNanos)) {
          // A random share of the growing pause, so two transactions that keep meeting fall out of step.
          long pause = ThreadLocalRandom.current().nextLong(1, 1 + Backoff.after(id.attempt() + 1).toMillis());
          scheduler.schedule(Duration.ofMillis(pause), () -> attempt(id.nextAttempt()));
        } else {
          outcome.complete(new TxnOutcome.Aborted(id, "transaction " + id + " aborted: " + reason, cause));
        }
      });
    }

    /** Aborts in the record group first (it fences the record), then everywhere else, waiting for all. */
    private CompletionStage<Void> abortEverywhere(TxnId id) {
      Duration timeout = Duration.ofMillis(Math.max(200, Math.min(2_000, remaining(deadlineNanos).toMillis())));
      return proposeAcknowledged(plan.recordGroup(), new TxnCommand.Abort(id, wallMillis.getAsLong(), true), timeout)
          .thenCompose(ignored -> {
            List<CompletableFuture<Boolean>> others = new ArrayList<>();
            for (String group : plan.groups()) {
              if (!group.equals(plan.recordGroup())) {
                others.add(proposeAcknowledged(group, new TxnCommand.Abort(id, wallMillis.getAsLong(), false),
                    timeout));
              }
            }
            return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new));
          });
    }

    private void commitPhase(TxnId id) {
      boolean succeeded;
      Map<String, List<OpResult>> results = new HashMap<>();
      synchronized (this) {
        succeeded = prepared.values().stream().allMatch(TxnResult.Prepared::comparesHeld);
        prepared.forEach((group, p) -> results.put(group, succeeded ? p.success() : p.failure()));
      }
      if (plan.request().isReadOnly()) {
        // Every read lock was held at once: the reads are one snapshot. Release them; nothing to decide.
        outcome.complete(new TxnOutcome.Completed(Optional.empty(), succeeded, 0, plan.recordGroup(), true,
            plan.assemble(succeeded, results, Map.of())));
        abortEverywhere(id);
        return;
      }
      phases.accept(Phase.ALL_PREPARED);
      commitRecord(id, succeeded, results, 0);
    }

    private void commitRecord(TxnId id, boolean succeeded, Map<String, List<OpResult>> results, int tries) {
      String recordGroup = plan.recordGroup();
      groups.propose(recordGroup, TxnCodec.encode(new TxnCommand.Commit(id, wallMillis.getAsLong(), succeeded,
              true)), remaining(deadlineNanos))
          .whenComplete((bytes, error) -> {
            if (error != null) {
              if (groups.mayHaveApplied(error)) {
                commitUncertain = true;
                learnRecord(id, succeeded, results, tries, error);
              } else if (resolver.hasTime(deadlineNanos)) {
                later(tries, () -> commitRecord(id, succeeded, results, tries + 1));
              } else if (commitUncertain) {
                learnRecord(id, succeeded, results, tries, error);
              } else {
                // No commit ever reached the record group, and none will: abort it, an outcome the caller can rely on.
                failAttempt(id, "its record group " + plan.recordGroup() + " did not take the commit: "
                    + message(error), error, false);
              }
              return;
            }
            onRecordDecided(id, succeeded, results, TxnCodec.decodeResult(bytes));
          });
    }

    private void onRecordDecided(TxnId id, boolean succeeded, Map<String, List<OpResult>> results,
        TxnResult decided) {
      if (decided instanceof TxnResult.Committed committed) {
        phases.accept(Phase.RECORD_COMMITTED);
        metrics.prepareToCommit(nanoTime.getAsLong() - preparesSentNanos);
        outcome.complete(new TxnOutcome.Completed(Optional.of(id), committed.succeeded(), committed.revision(),
            plan.recordGroup(), true, plan.assemble(committed.succeeded(), results,
                Map.of(plan.recordGroup(), committed.revision()))));
        commitParticipants(id, committed.succeeded());
      } else {
        // Aborted in the record group (its locks expired and someone resolved it): nothing of it applies.
        failAttempt(id, "its locks expired and it was aborted before it could commit", null, true);
      }
    }

    /** The commit's fate is unknown: read the record until it says, or the deadline passes. */
    private void learnRecord(TxnId id, boolean succeeded, Map<String, List<OpResult>> results, int tries,
        Throwable error) {
      if (!resolver.hasTime(deadlineNanos)) {
        outcome.complete(new TxnOutcome.Unknown(id, "the commit of transaction " + id + " in " + plan.recordGroup()
            + " got no answer before the deadline: " + message(error)));
        return;
      }
      record(id, remaining(deadlineNanos)).whenComplete((record, readError) -> {
        Optional<TxnRecord> known = record == null ? Optional.empty() : record.record();
        if (known.isPresent() && known.get().state() == TxnRecord.State.COMMITTED) {
          onRecordDecided(id, succeeded, results,
              new TxnResult.Committed(known.get().revision(), known.get().succeeded()));
        } else if (known.isPresent() && known.get().state() == TxnRecord.State.ABORTED) {
          onRecordDecided(id, succeeded, results, new TxnResult.Aborted("aborted"));
        } else {
          // Still pending (or not readable): the commit may be on its way; propose it again, it is idempotent.
          later(tries, () -> commitRecord(id, succeeded, results, tries + 1));
        }
      });
    }

    /**
     * Phase two in the other groups (a commit there is idempotent, so a failed one is sent again a few times), then
     * settle the record. A participant this does not reach is finished by recovery; its record then stays unsettled
     * (kept an hour).
     */
    private void commitParticipants(TxnId id, boolean succeeded) {
      List<CompletableFuture<Boolean>> commits = new ArrayList<>();
      for (String group : plan.groups()) {
        if (!group.equals(plan.recordGroup())) {
          commits.add(commitParticipant(id, group, succeeded, 0));
        }
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).thenAccept(done -> {
        if (commits.stream().allMatch(CompletableFuture::join)) {
          proposeAcknowledged(plan.recordGroup(), new TxnCommand.Settle(id, wallMillis.getAsLong()),
              settings.lockTtl());
        }
      });
    }

    private CompletableFuture<Boolean> commitParticipant(TxnId id, String group, boolean succeeded, int tries) {
      return proposeAcknowledged(group, new TxnCommand.Commit(id, wallMillis.getAsLong(), succeeded, false),
          settings.lockTtl()).thenCompose(ok -> {
            if (ok || tries >= PARTICIPANT_COMMIT_TRIES) {
              return CompletableFuture.completedFuture(ok);
            }
            CompletableFuture<Boolean> again = new CompletableFuture<>();
            later(tries + 3, () -> commitParticipant(id, group, succeeded, tries + 1)
                .whenComplete((r, e) -> again.complete(Boolean.TRUE.equals(r))));
            return again;
          });
    }

    private void later(int tries, Runnable task) {
      scheduler.schedule(Backoff.after(tries), task);
    }
  }

  /** Proposes {@code command}; completes true once applied, false on any failure (never fails). */
  private CompletableFuture<Boolean> proposeAcknowledged(String group, TxnCommand command, Duration timeout) {
    return groups.propose(group, TxnCodec.encode(command), timeout).handle((bytes, error) -> error == null)
        .toCompletableFuture();
  }

  // ---- helpers

  private TxnOutcome conflict(TxnId id, io.raftring.kv.KeyLock lock, String why) {
    return new TxnOutcome.Aborted(id, "transaction " + id + " aborted: key '" + lock.key() + "' is locked by"
        + " transaction " + lock.txnId() + "; " + why, null);
  }

  private Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - nanoTime.getAsLong()));
  }

  private static CompletionStage<TxnOutcome> done(TxnOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private static String describe(TxnResult result) {
    if (result instanceof TxnResult.Refused refused) {
      return refused.reason();
    }
    if (result instanceof TxnResult.Aborted aborted) {
      return aborted.reason();
    }
    if (result instanceof TxnResult.Rejected rejected) {
      return "the group could not read the transaction: " + rejected.message();
    }
    return "unexpected answer " + result;
  }

  private static String message(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
