package io.raftring.eventual;

import io.raftring.storage.RocksDbTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The name under which this node coordinates writes (the actor of its {@link Dot}s) and its counter, which only
 * grows. A node keeps both across a clean restart. After a crash, or with a wiped disk, it takes a new name: a dot it
 * had sent out but not yet synced itself could otherwise be handed out again for another write, and two writes with
 * one dot would look like one. The cost of a new name is one more entry in the clocks of the keys it writes.
 *
 * <p>Kept in a small table: the name, the counter to resume from, and a marker written last on a clean stop and
 * removed on start.
 */
final class ActorIdentity {

  private static final byte[] ACTOR = "actor".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEXT_COUNTER = "next-counter".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLEAN_STOP = "clean-stop".getBytes(StandardCharsets.UTF_8);

  private final RocksDbTable table;
  private final String actor;
  private final boolean resumed;
  private final AtomicLong counter;

  private ActorIdentity(RocksDbTable table, String actor, boolean resumed, long next) {
    this.table = table;
    this.actor = actor;
    this.resumed = resumed;
    this.counter = new AtomicLong(next - 1);
  }

  /** Reads or makes this run's identity; the change is synced before it returns. */
  static ActorIdentity open(RocksDbTable table, String node, long wallMillis) {
    byte[] actor = table.get(ACTOR);
    byte[] next = table.get(NEXT_COUNTER);
    boolean clean = table.get(CLEAN_STOP) != null && actor != null && next != null;
    ActorIdentity identity = clean
        ? new ActorIdentity(table, new String(actor, StandardCharsets.UTF_8), true, ByteBuffer.wrap(next).getLong())
        : new ActorIdentity(table, freshName(node, wallMillis), false, 1);
    table.write(new RocksDbTable.Batch()
        .put(ACTOR, identity.actor.getBytes(StandardCharsets.UTF_8))
        .delete(NEXT_COUNTER)
        .delete(CLEAN_STOP)).join();
    return identity;
  }

  /** {@code node.<base36 time><base36 random>}: unique for every start of the node, in a dozen bytes or so. */
  static String freshName(String node, long wallMillis) {
    int random = ThreadLocalRandom.current().nextInt(36 * 36);
    return node + "." + Long.toString(wallMillis, 36) + Integer.toString(random, 36);
  }

  String actor() {
    return actor;
  }

  /** Whether this run took over the previous run's name (it stopped cleanly). */
  boolean resumed() {
    return resumed;
  }

  /** A counter never handed out before under this name. */
  long nextCounter() {
    return counter.incrementAndGet();
  }

  /**
   * Records a clean stop: the counter to resume from, then the marker. Call it only once no write can be coordinated
   * any more and every coordinated write was handed to the store (which writes them before this).
   */
  CompletableFuture<Void> recordCleanStop() {
    return table.write(new RocksDbTable.Batch()
        .put(NEXT_COUNTER, ByteBuffer.allocate(8).putLong(counter.get() + 1).array())
        .put(CLEAN_STOP, new byte[] {1}));
  }
}
