package io.raftring.storage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;

/** Configuration of a test ActorSystem whose journal and snapshot store are ours, on a directory of the test's. */
final class StorageTestConfig {

  private StorageTestConfig() {}

  static Config withStorageIn(Path dir) {
    return ConfigFactory.parseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "raftring.storage.journal"
            akka.persistence.snapshot-store.plugin = "raftring.storage.snapshot-store"
            """)
        .withValue("raftring.storage.dir", ConfigValueFactory.fromAnyRef(dir.toString()))
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
