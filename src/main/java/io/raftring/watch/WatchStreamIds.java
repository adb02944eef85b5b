package io.raftring.watch;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which watches are open on one interactive watch stream ({@link WatchMux}), by the ids their client knows them by:
 * plain bookkeeping, no streams. Ids are a client's own or given by the stream, as etcd's {@code watch_id}: a create
 * without one gets the next id not in use, counting up from 0 and never handing out an id twice while the counter
 * has not wrapped, so a late line of an ended watch cannot be mistaken for a new one's.
 *
 * <p>Behind each id is a <em>generation</em>, unique for the stream's life: a client may cancel watch 3 and create
 * another watch 3, and the old one's elements still on their way must not pass as the new one's. Only elements of
 * an id's current generation are delivered ({@link #deliver}).
 */
final class WatchStreamIds {

  /** What a create came to. */
  sealed interface Created {}

  /** Opened: watch {@code id} runs as generation {@code generation}. */
  record Opened(int id, long generation) implements Created {}

  /** The stream carries its limit of watches already: watch {@code id} ends at once, as an end of its own. */
  record Full(int id, int limit) implements Created {}

  /** Refused and nothing changed: the id asked for is open already. */
  record Duplicate(int id) implements Created {}

  private final int limit;
  private final Map<Integer, Long> open = new HashMap<>();
  private int nextId;
  private long nextGeneration = 1;

  /** @param limit the most watches open at once */
  WatchStreamIds(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** A create asking for {@code id}, or for the next free one when it is null (ids are 0 or more). */
  Created create(Integer id) {
    if (id != null && id < 0) {
      throw new IllegalArgumentException("watch ids are 0 or more: " + id);
    }
    if (id != null && open.containsKey(id)) {
      return new Duplicate(id);
    }
    int given = id != null ? id : nextFreeId();
    if (open.size() >= limit) {
      return new Full(given, limit);
    }
    long generation = nextGeneration++;
    open.put(given, generation);
    return new Opened(given, generation);
  }

  /** Closes watch {@code id} (its later elements are dropped): the generation that was open, empty if none was. */
  OptionalLong cancel(int id) {
    Long generation = open.remove(id);
    return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
  }

  /**
   * Whether an element of watch {@code id}'s generation {@code generation} goes to the client: only while that
   * generation is the id's open one. Its {@code last} element (the watch's end) closes the id.
   */
  boolean deliver(int id, long generation, boolean last) {
    Long current = open.get(id);
    if (current == null || current != generation) {
      return false;
    }
    if (last) {
      open.remove(id);
    }
    return true;
  }

  /** Whether watch {@code id}'s generation {@code generation} is the open one. */
  boolean isOpen(int id, long generation) {
    Long current = open.get(id);
    return current != null && current == generation;
  }

  /** Watches open now. */
  int openCount() {
    return open.size();
  }

  /** Closes every watch (the client is done). */
  void closeAll() {
    open.clear();
  }

  private int nextFreeId() {
    // At most `limit` ids are open, so this ends within limit + 1 steps.
    while (open.containsKey(nextId)) {
      nextId = nextId == Integer.MAX_VALUE ? 0 : nextId + 1;
    }
    int id = nextId;
    nextId = nextId == Integer.MAX_VALUE ? 0 : nextId + 1;
    return id;
  }
}
