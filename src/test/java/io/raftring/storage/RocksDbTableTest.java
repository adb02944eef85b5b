package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named tables beside the journal: synced writes, ordered scans, found again when the database is reopened. */
class RocksDbTableTest {

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(RocksDbTable table, byte[] from, byte[] to) {
    List<String> keys = new ArrayList<>();
    table.scan(from, to, (key, value) -> keys.add(new String(key, StandardCharsets.UTF_8)));
    return keys;
  }

  @Test
  void aTableKeepsItsEntriesAcrossReopening() {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      RocksDbTable table = store.table("objects");
      CompletableFuture.allOf(
          table.put(b("b"), b("2")), table.put(b("a"), b("1")), table.write(new RocksDbTable.Batch()
              .put(b("c"), b("3")).put(b("d"), b("4")).delete(b("d")))).join();
      store.table("other").put(b("a"), b("elsewhere")).join();
    }
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      RocksDbTable table = store.table("objects");
      assertThat(table.get(b("a"))).isEqualTo(b("1"));
      assertThat(table.get(b("d"))).isNull();
      assertThat(keys(table, null, null)).containsExactly("a", "b", "c");
      assertThat(keys(store.table("other"), null, null)).containsExactly("a");
    }
  }

  @Test
  void aScanStopsAtItsUpperBoundOrWhenTheVisitorSaysSo() {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      RocksDbTable table = store.table("t");
      for (String key : List.of("p/1", "p/2", "p/3", "q/1")) {
        table.put(b(key), b("v")).join();
      }
      assertThat(keys(table, b("p/"), RocksDbTable.afterPrefix(b("p/")))).containsExactly("p/1", "p/2", "p/3");
      List<String> firstTwo = new ArrayList<>();
      table.scan(null, null,
          (key, value) -> firstTwo.add(new String(key, StandardCharsets.UTF_8)) && firstTwo.size() < 2);
      assertThat(firstTwo).containsExactly("p/1", "p/2");
    }
  }

  @Test
  void theJournalsColumnFamiliesAreNotTables() {
    try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
      assertThatThrownBy(() -> store.table("journal")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.table("")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void afterPrefixIsTheFirstKeyPastEveryKeyWithThePrefix() {
    assertThat(RocksDbTable.afterPrefix(new byte[] {1, 2})).containsExactly(1, 3);
    assertThat(RocksDbTable.afterPrefix(new byte[] {1, (byte) 0xFF})).containsExactly(2);
    assertThat(RocksDbTable.afterPrefix(new byte[] {(byte) 0xFF})).isNull();
  }
}
