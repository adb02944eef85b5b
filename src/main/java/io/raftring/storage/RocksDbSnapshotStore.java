package io.raftring.storage;

import akka.persistence.SelectedSnapshot;
import akka.persistence.SnapshotMetadata;
import akka.persistence.SnapshotSelectionCriteria;
import akka.persistence.snapshot.japi.SnapshotStore;
import akka.serialization.SerializationExtension;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import scala.concurrent.Future;

/**
 * Akka Persistence snapshot store on the node's RocksDB database, the same one as {@link RocksDbJournal}'s. Enable it
 * with {@code akka.persistence.snapshot-store.plugin = "raftring.storage.snapshot-store"}.
 *
 * <p>Snapshots are serialized with Akka Serialization and saved synced. Loading returns the newest snapshot that
 * matches the criteria; if that one cannot be deserialized, loading fails rather than falling back to an older one,
 * because the events between the two may already be deleted and recovering from the older one would silently lose
 * them.
 */
public final class RocksDbSnapshotStore extends SnapshotStore {

  private final RocksDbStore store;
  private final SerializedPayloadCodec codec;
  private final Executor blocking;

  public RocksDbSnapshotStore(Config config, String configPath) {
    StorageSettings settings = StorageSettings.fromConfig(config, configPath, context().system().settings().config());
    this.blocking = context().system().dispatchers().lookup(RocksDbJournal.blockingDispatcher(config));
    this.codec = new SerializedPayloadCodec(SerializationExtension.get(context().system()));
    this.store = RocksDbStoreRegistry.acquire(settings);
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return ScalaFutures.fromJava(CompletableFuture.supplyAsync(
        () -> store.newestSnapshot(persistenceId, bounds(criteria)).map(this::selected), blocking));
  }

  private SelectedSnapshot selected(StoredSnapshot stored) {
    try {
      SnapshotMetadata metadata = SnapshotMetadata.apply(stored.persistenceId(), stored.sequenceNr(), stored.timestamp());
      return new SelectedSnapshot(metadata, codec.decode(stored.bytes()));
    } catch (NotSerializableException e) {
      NotSerializableException failure = new NotSerializableException("Cannot deserialize snapshot "
          + stored.sequenceNr() + " of " + stored.persistenceId() + ": " + e.getMessage());
      failure.initCause(e);
      throw new UncheckedIOException(failure);
    }
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return ScalaFutures.fromJava(CompletableFuture
        .supplyAsync(() -> {
          try {
            return codec.encode(snapshot);
          } catch (NotSerializableException e) {
            throw new UncheckedIOException(e);
          }
        }, blocking)
        .thenCompose(bytes ->
            store.saveSnapshot(metadata.persistenceId(), metadata.sequenceNr(), metadata.timestamp(), bytes)));
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    // Timestamp 0 means "whatever its timestamp", as in Akka's own snapshot stores.
    long minTimestamp = metadata.timestamp() == 0 ? 0 : metadata.timestamp();
    long maxTimestamp = metadata.timestamp() == 0 ? Long.MAX_VALUE : metadata.timestamp();
    SnapshotBounds one = new SnapshotBounds(metadata.sequenceNr(), metadata.sequenceNr(), minTimestamp, maxTimestamp);
    return deleteAsync(metadata.persistenceId(), one);
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return deleteAsync(persistenceId, bounds(criteria));
  }

  private Future<Void> deleteAsync(String persistenceId, SnapshotBounds bounds) {
    return ScalaFutures.fromJava(CompletableFuture
        .supplyAsync(() -> store.deleteSnapshots(persistenceId, bounds), blocking)
        .thenCompose(deleted -> deleted));
  }

  private static SnapshotBounds bounds(SnapshotSelectionCriteria criteria) {
    return new SnapshotBounds(
        criteria.minSequenceNr(), criteria.maxSequenceNr(), criteria.minTimestamp(), criteria.maxTimestamp());
  }

  @Override
  public void postStop() throws Exception {
    RocksDbStoreRegistry.release(store);
    super.postStop();
  }
}
