package io.raftring.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads waiting on the leader (etcd's read_only.go): each waits first for a heartbeat round that started after it
 * arrived to be acknowledged by a majority (proving the leader still led when the read arrived), then for the state
 * machine to apply up to the commit index recorded when it arrived.
 *
 * @param <R> the waiting request
 */
public final class ReadIndexQueue<R> {

  /** A read with the round that must be confirmed and the index that must be applied before it is served. */
  public record Pending<R>(long round, long readIndex, R request) {}

  private final ArrayDeque<Pending<R>> unconfirmed = new ArrayDeque<>();
  private final ArrayDeque<Pending<R>> confirmed = new ArrayDeque<>();

  public void add(long round, long readIndex, R request) {
    unconfirmed.addLast(new Pending<>(round, readIndex, request));
  }

  /** Rounds up to {@code round} are acknowledged by a majority: reads waiting on them move on to wait for apply. */
  public void confirm(long round) {
    while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().round() <= round) {
      confirmed.addLast(unconfirmed.removeFirst());
    }
  }

  /** Confirmed reads whose read index is applied, in arrival order; they leave the queue. */
  public List<Pending<R>> ready(long appliedIndex) {
    List<Pending<R>> ready = new ArrayList<>();
    // Read indexes never decrease in arrival order (commit index only grows), so the head decides.
    while (!confirmed.isEmpty() && confirmed.peekFirst().readIndex() <= appliedIndex) {
      ready.add(confirmed.removeFirst());
    }
    return ready;
  }

  /** Everything still waiting, removed: for answering them when leadership is lost. */
  public List<Pending<R>> drain() {
    List<Pending<R>> all = new ArrayList<>(confirmed);
    all.addAll(unconfirmed);
    confirmed.clear();
    unconfirmed.clear();
    return all;
  }

  public boolean hasUnconfirmed() {
    return !unconfirmed.isEmpty();
  }

  public int size() {
    return unconfirmed.size() + confirmed.size();
  }
}
