package io.raftring.storage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one node's RocksDB store. The journal and the snapshot store share one database, so every setting
 * except {@code dir} is read from {@code raftring.storage}; the settings of whichever plugin opens the database first
 * are the ones that apply.
 *
 * @param dir            directory of the database
 * @param maxBatchWrites most queued operations the writer thread puts into one synced write
 * @param maxBatchBytes  most bytes the writer thread puts into one synced write (always at least one operation)
 * @param compactAfterDelete whether deleting events also compacts the deleted range to reclaim space soon
 * @param closeTimeout   how long closing waits for queued writes and background compaction
 */
public record StorageSettings(
    Path dir, int maxBatchWrites, long maxBatchBytes, boolean compactAfterDelete, Duration closeTimeout) {

  public static final String ROOT_PATH = "raftring.storage";

  public StorageSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (maxBatchWrites < 1) {
      throw new IllegalArgumentException("max-batch-writes must be at least 1, was " + maxBatchWrites);
    }
    if (maxBatchBytes < 1) {
      throw new IllegalArgumentException("max-batch-size must be at least 1 byte, was " + maxBatchBytes);
    }
  }

  /** Defaults of reference.conf, for code that uses the store without an ActorSystem (tests, benchmarks). */
  public static StorageSettings defaults(Path dir) {
    return new StorageSettings(dir, 4096, 16L * 1024 * 1024, true, Duration.ofSeconds(10));
  }

  /**
   * Reads the settings of a plugin: {@code dir} from the plugin's own section if set there, else from
   * {@code raftring.storage.dir}; everything else from {@code raftring.storage}.
   *
   * @param pluginConfig the plugin's section (e.g. {@code raftring.storage.journal})
   * @param pluginPath   where that section lives, only for error messages
   * @param rootConfig   the ActorSystem's whole configuration
   */
  public static StorageSettings fromConfig(Config pluginConfig, String pluginPath, Config rootConfig) {
    Path dir = readDir(pluginConfig, pluginPath, rootConfig);
    Config storage = rootConfig.getConfig(ROOT_PATH);
    return new StorageSettings(
        dir,
        storage.getInt("max-batch-writes"),
        storage.getBytes("max-batch-size"),
        storage.getBoolean("compact-after-delete"),
        storage.getDuration("close-timeout"));
  }

  private static Path readDir(Config pluginConfig, String pluginPath, Config rootConfig) {
    String where;
    String value;
    try {
      if (pluginConfig.hasPath("dir")) {
        where = pluginPath + ".dir";
        value = pluginConfig.getString("dir");
      } else {
        where = ROOT_PATH + ".dir";
        value = rootConfig.hasPath(where) ? rootConfig.getString(where) : null;
      }
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(
          "RaftRing storage: the data directory must be a string path: " + e.getMessage(), e);
    }
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "RaftRing storage: no data directory configured for plugin '" + pluginPath + "'. Set "
              + ROOT_PATH + ".dir (or " + pluginPath + ".dir) to the node's data directory, e.g. "
              + ROOT_PATH + ".dir = \"data/node-1\"");
    }
    return Path.of(value);
  }
}
