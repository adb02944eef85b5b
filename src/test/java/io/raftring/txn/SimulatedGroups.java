package io.raftring.txn;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Groups as plain state machines in memory, with a manual clock and scheduler, for deterministic tests of the
 * coordinator, the resolver and recovery. Proposals wait in a queue per group until delivered ({@link #run} delivers
 * everything and runs every task due, moving the clock to the next task when idle). Faults: a group that refuses
 * ({@link #unavailable}), one that applies but whose answer is lost ({@link #loseAnswers}), and proposals dropped on
 * the way, as from a coordinator that crashed ({@link #dropWhen}).
 */
final class SimulatedGroups implements GroupClient, TxnScheduler {

  static final long START_MILLIS = 1_700_000_000_000L;

  /** Certainly not applied (as NO_QUORUM). */
  static final class NotApplied extends RuntimeException {
    NotApplied(String message) {
      super(message);
    }
  }

  /** Perhaps applied (as TIMEOUT). */
  static final class MaybeApplied extends RuntimeException {
    MaybeApplied(String message) {
      super(message);
    }
  }

  private record Pending(String group, byte[] command, CompletableFuture<byte[]> answer) {}

  private record Task(long dueNanos, long order, Runnable task) {}

  private final Map<String, TxnStateMachine> machines = new HashMap<>();
  private final Map<String, Deque<Pending>> queues = new HashMap<>();
  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.order, b.order));
  private final Set<String> unavailable = new HashSet<>();
  private final Set<String> losingAnswers = new HashSet<>();
  private final Set<String> unreadable = new HashSet<>();
  private final List<TxnCommand> dropped = new ArrayList<>();
  private Predicate<TxnCommand> drop = c -> false;
  private long nanos;
  private long taskOrder;

  SimulatedGroups(String... groups) {
    for (String group : groups) {
      machines.put(group, new TxnStateMachine());
      queues.put(group, new ArrayDeque<>());
    }
  }

  TxnStateMachine machine(String group) {
    return machines.get(group);
  }

  long wallMillis() {
    return START_MILLIS + nanos / 1_000_000;
  }

  long nanoTime() {
    return nanos;
  }

  void advance(Duration by) {
    nanos += by.toNanos();
  }

  void unavailable(String group, boolean down) {
    if (down) {
      unavailable.add(group);
    } else {
      unavailable.remove(group);
    }
  }

  void loseAnswers(String group, boolean lose) {
    if (lose) {
      losingAnswers.add(group);
    } else {
      losingAnswers.remove(group);
    }
  }

  /** Reads of {@code group} fail (its leader cannot confirm it leads), proposals still go through. */
  void unreadable(String group, boolean fail) {
    if (fail) {
      unreadable.add(group);
    } else {
      unreadable.remove(group);
    }
  }

  /** Transaction commands matching {@code which} vanish unapplied from now on (their senders never hear back). */
  void dropWhen(Predicate<TxnCommand> which) {
    this.drop = which;
  }

  List<TxnCommand> dropped() {
    return dropped;
  }

  // ---- GroupClient

  @Override
  public CompletionStage<byte[]> propose(String group, byte[] command, Duration timeout) {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    if (TxnCodec.isTxnMessage(command) && drop.test(TxnCodec.decodeCommand(command))) {
      dropped.add(TxnCodec.decodeCommand(command));
      return answer;
    }
    queues.get(group).add(new Pending(group, command, answer));
    return answer;
  }

  @Override
  public CompletionStage<byte[]> read(String group, byte[] query, Duration timeout) {
    if (unavailable.contains(group) || unreadable.contains(group)) {
      return CompletableFuture.failedFuture(new NotApplied(group + " has no quorum"));
    }
    return CompletableFuture.completedFuture(machines.get(group).query(query));
  }

  @Override
  public boolean mayHaveApplied(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return failure instanceof MaybeApplied || cause instanceof MaybeApplied;
  }

  // ---- TxnScheduler

  @Override
  public void schedule(Duration delay, Runnable task) {
    tasks.add(new Task(nanos + delay.toNanos(), taskOrder++, task));
  }

  // ---- driving

  /** Delivers the oldest proposal waiting for {@code group}, if any. */
  boolean deliverNext(String group) {
    return deliver(group, 0);
  }

  /** Delivers the {@code index}th proposal waiting for {@code group} (0: the oldest), if there is one. */
  boolean deliver(String group, int index) {
    List<Pending> waiting = new ArrayList<>(queues.get(group));
    if (index >= waiting.size()) {
      return false;
    }
    Pending next = waiting.get(index);
    queues.get(group).remove(next);
    if (unavailable.contains(group)) {
      next.answer.completeExceptionally(new NotApplied(group + " has no quorum"));
    } else {
      byte[] result = machines.get(group).apply(0, next.command);
      if (losingAnswers.contains(group)) {
        next.answer.completeExceptionally(new MaybeApplied("the answer from " + group + " was lost"));
      } else {
        next.answer.complete(result);
      }
    }
    return true;
  }

  /** The proposals waiting for {@code group}, decoded. */
  List<TxnCommand> waiting(String group) {
    return queues.get(group).stream().filter(p -> TxnCodec.isTxnMessage(p.command))
        .map(p -> TxnCodec.decodeCommand(p.command)).toList();
  }

  /** Delivers and runs everything until nothing is left to do, or simulated time passes {@code for}. */
  void run(Duration limit) {
    long until = nanos + limit.toNanos();
    while (true) {
      boolean delivered = false;
      for (String group : machines.keySet().stream().sorted().toList()) {
        while (deliverNext(group)) {
          delivered = true;
        }
      }
      if (delivered) {
        continue;
      }
      Task next = tasks.peek();
      if (next == null || next.dueNanos > until) {
        return;
      }
      tasks.poll();
      nanos = Math.max(nanos, next.dueNanos);
      next.task.run();
    }
  }

  void run() {
    run(Duration.ofSeconds(60));
  }
}
