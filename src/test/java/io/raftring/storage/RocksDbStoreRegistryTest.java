package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreRegistryTest {

  @TempDir
  Path root;

  @Test
  void oneDirectoryIsOpenedOnceHoweverItIsSpelled() {
    Path dir = root.resolve("node-1");
    RocksDbStore first = RocksDbStoreRegistry.acquire(StorageSettings.defaults(dir));
    RocksDbStore second = RocksDbStoreRegistry.acquire(StorageSettings.defaults(root.resolve("x/../node-1")));
    try {
      assertThat(second).isSameAs(first);
      assertThat(RocksDbStoreRegistry.references(dir)).isEqualTo(2);
    } finally {
      RocksDbStoreRegistry.release(second);
      RocksDbStoreRegistry.release(first);
    }
    assertThat(RocksDbStoreRegistry.references(dir)).isZero();
  }

  @Test
  void differentDirectoriesHaveDifferentDatabases() throws Exception {
    RocksDbStore node1 = RocksDbStoreRegistry.acquire(StorageSettings.defaults(root.resolve("node-1")));
    RocksDbStore node2 = RocksDbStoreRegistry.acquire(StorageSettings.defaults(root.resolve("node-2")));
    try {
      assertThat(node2).isNotSameAs(node1);
      node1.appendEvents("p", List.of(new JournalEntry(1, new byte[] {1}))).get(10, TimeUnit.SECONDS);
      assertThat(node1.highestSequenceNr("p")).isEqualTo(1);
      assertThat(node2.highestSequenceNr("p")).isZero();
    } finally {
      RocksDbStoreRegistry.release(node1);
      RocksDbStoreRegistry.release(node2);
    }
  }

  @Test
  void theLastReleaseClosesTheDatabaseSoItCanBeOpenedAgain() throws Exception {
    Path dir = root.resolve("node-1");
    RocksDbStore store = RocksDbStoreRegistry.acquire(StorageSettings.defaults(dir));
    store.appendEvents("p", List.of(new JournalEntry(1, new byte[] {1}))).get(10, TimeUnit.SECONDS);
    RocksDbStoreRegistry.release(store);

    RocksDbStore reopened = RocksDbStoreRegistry.acquire(StorageSettings.defaults(dir));
    try {
      assertThat(reopened).isNotSameAs(store);
      assertThat(reopened.highestSequenceNr("p")).isEqualTo(1);
    } finally {
      RocksDbStoreRegistry.release(reopened);
    }
  }
}
