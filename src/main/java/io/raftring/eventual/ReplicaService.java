package io.raftring.eventual;

import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does with the messages its {@link EvPeer} receives: store replicated values and hints (acknowledged
 * once synced), answer reads, coordinate forwarded writes, answer anti-entropy's questions about its trees. Answers go
 * straight to the asker from whichever thread completes the work.
 */
final class ReplicaService {

  private static final Logger log = LoggerFactory.getLogger(ReplicaService.class);

  private final String self;
  private final ReplicaStore store;
  private final HintStore hints;
  private final HybridLogicalClock clock;
  private final Executor blocking;
  private final Supplier<Coordinator> coordinator;

  ReplicaService(String self, ReplicaStore store, HintStore hints, HybridLogicalClock clock, Executor blocking,
      Supplier<Coordinator> coordinator) {
    this.self = self;
    this.store = store;
    this.hints = hints;
    this.clock = clock;
    this.blocking = blocking;
    this.coordinator = coordinator;
  }

  void replicate(EvPeer.Replicate m) {
    clock.observe(m.value().maxTimestamp());
    CompletableFuture<Boolean> stored;
    try {
      stored = m.hintFor() == null
          ? store.merge(m.key(), m.value()).thenApply(change -> true)
          : hints.store(m.hintFor(), m.key(), m.value());
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    stored.whenComplete((ok, failure) -> {
      if (failure != null) {
        log.warn("could not store a replicated value of key {}", m.key(), failure);
      }
      m.replyTo().tell(new EvPeer.Ack(self, failure == null && ok));
    });
  }

  void fetch(EvPeer.Fetch m) {
    VersionedValue value;
    if (m.hintFor() == null) {
      value = store.read(m.key());
    } else {
      TimedValue hint = hints.get(m.hintFor(), m.key());
      value = hint == null ? VersionedValue.EMPTY : hint.value();
    }
    m.replyTo().tell(new EvPeer.Fetched(self, value));
  }

  void forwardedWrite(EvPeer.ForwardWrite m) {
    CompletableFuture<EventualWrite> written;
    try {
      written = coordinator.get().coordinate(m.key(), m.value(), m.context(), m.w(),
          Duration.ofMillis(m.timeoutMillis()));
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete((write, failure) -> {
      if (failure == null) {
        m.replyTo().tell(new EvPeer.WriteReply(null, null, write.context(), write.acknowledgedBy()));
      } else {
        RaftRingException error = RaftRingException.find(failure);
        m.replyTo().tell(new EvPeer.WriteReply(
            error == null ? "INTERNAL" : error.code().name(),
            error == null ? String.valueOf(failure) : error.getMessage(), null, List.of()));
      }
    });
  }

  void treeHashes(EvPeer.TreeHashes m) {
    MerkleTree.Snapshot snapshot = store.snapshot(m.from());
    long[] hashes = null;
    if (snapshot != null) {
      try {
        hashes = snapshot.hashes(m.level(), m.indices());
      } catch (IllegalArgumentException e) {
        // A tree of another shape (different settings): no answer to compare with.
      }
    }
    m.replyTo().tell(new EvPeer.Hashes(hashes));
  }

  void leafDigests(EvPeer.LeafDigests m) {
    blocking.execute(() -> {
      List<ReplicaStore.KeyDigest> entries = store.entries(m.from(), m.leaves(), m.maxKeys());
      List<String> keys = new ArrayList<>(entries.size());
      long[] digests = new long[entries.size()];
      for (int i = 0; i < digests.length; i++) {
        keys.add(entries.get(i).key());
        digests[i] = entries.get(i).digest();
      }
      m.replyTo().tell(new EvPeer.Digests(keys, digests));
    });
  }
}
