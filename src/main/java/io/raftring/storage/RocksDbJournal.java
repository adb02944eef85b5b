package io.raftring.storage;

import akka.actor.ActorRef;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.journal.japi.AsyncWriteJournal;
import akka.serialization.SerializationExtension;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Akka Persistence journal on the node's RocksDB database (see {@link RocksDbStore}). Enable it with
 * {@code akka.persistence.journal.plugin = "raftring.storage.journal"} and {@code raftring.storage.dir = ...}.
 *
 * <p>Each event is stored as its PersistentRepr serialized by Akka Serialization, so events bound to jackson-cbor are
 * stored as CBOR. Serialization happens on the plugin actor, before anything is queued: an AtomicWrite that cannot be
 * serialized is rejected alone and the others of the same call are written. Writes are acknowledged once synced.
 */
public final class RocksDbJournal extends AsyncWriteJournal {

  private final RocksDbStore store;
  private final SerializedPayloadCodec codec;
  private final Executor blocking;

  public RocksDbJournal(Config config, String configPath) {
    StorageSettings settings = StorageSettings.fromConfig(config, configPath, context().system().settings().config());
    this.blocking = context().system().dispatchers().lookup(blockingDispatcher(config));
    this.codec = new SerializedPayloadCodec(SerializationExtension.get(context().system()));
    this.store = RocksDbStoreRegistry.acquire(settings);
  }

  static String blockingDispatcher(Config pluginConfig) {
    return pluginConfig.hasPath("blocking-dispatcher")
        ? pluginConfig.getString("blocking-dispatcher")
        : StorageSettings.ROOT_PATH + ".dispatcher";
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<CompletableFuture<Optional<Exception>>> results = new ArrayList<>();
    for (AtomicWrite write : messages) {
      List<JournalEntry> entries;
      try {
        entries = serialize(write);
      } catch (NotSerializableException e) {
        results.add(CompletableFuture.completedFuture(Optional.of(e)));
        continue;
      }
      results.add(store.appendEvents(write.persistenceId(), entries).thenApply(synced -> Optional.empty()));
    }
    // A failed append fails the whole call, as the contract asks: storage failures are not rejections.
    CompletableFuture<Iterable<Optional<Exception>>> all = CompletableFuture
        .allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    return ScalaFutures.fromJava(all);
  }

  private List<JournalEntry> serialize(AtomicWrite write) throws NotSerializableException {
    List<JournalEntry> entries = new ArrayList<>(write.size());
    for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
      // The sender is meaningless after a restart; don't store its path with every event.
      PersistentRepr stored = repr.sender() == ActorRef.noSender()
          ? repr
          : repr.update(repr.sequenceNr(), repr.persistenceId(), repr.deleted(), ActorRef.noSender(), repr.writerUuid());
      entries.add(new JournalEntry(repr.sequenceNr(), codec.encode(stored)));
    }
    return entries;
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<PersistentRepr> replay) {
    return ScalaFutures.fromJava(CompletableFuture.runAsync(
        () -> store.replayEvents(persistenceId, fromSequenceNr, toSequenceNr, max,
            (bytes, sequenceNr) -> replay.accept(deserialize(bytes, persistenceId, sequenceNr))),
        blocking));
  }

  private PersistentRepr deserialize(byte[] bytes, String persistenceId, long sequenceNr) {
    try {
      return (PersistentRepr) codec.decode(bytes);
    } catch (NotSerializableException e) {
      NotSerializableException failure = new NotSerializableException(
          "Cannot deserialize event " + sequenceNr + " of " + persistenceId + ": " + e.getMessage());
      failure.initCause(e);
      throw new UncheckedIOException(failure);
    }
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return ScalaFutures.fromJava(CompletableFuture.supplyAsync(() -> store.highestSequenceNr(persistenceId), blocking));
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return ScalaFutures.fromJava(store.deleteEventsTo(persistenceId, toSequenceNr));
  }

  @Override
  public void postStop() throws Exception {
    // Last holder closes the database, after writing what is still queued.
    RocksDbStoreRegistry.release(store);
    super.postStop();
  }
}
