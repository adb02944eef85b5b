package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

  private static final String JOURNAL = "raftring.storage.journal";

  private static Config root(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  @Test
  void referenceConfHasADefaultForEverySetting() {
    Config root = root("");
    StorageSettings settings = StorageSettings.fromConfig(root.getConfig(JOURNAL), JOURNAL, root);
    assertThat(settings.dir()).isEqualTo(Path.of("data/node"));
    assertThat(settings.maxBatchWrites()).isEqualTo(4096);
    assertThat(settings.maxBatchBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(settings.compactAfterDelete()).isTrue();
    assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings).isEqualTo(StorageSettings.defaults(Path.of("data/node")));
  }

  @Test
  void pluginsReadTheNodeDirectory() {
    Config root = root("raftring.storage.dir = \"/var/raftring/node-7\"");
    assertThat(StorageSettings.fromConfig(root.getConfig(JOURNAL), JOURNAL, root).dir())
        .isEqualTo(Path.of("/var/raftring/node-7"));
  }

  @Test
  void aPluginMayOverrideTheDirectory() {
    Config root = root("raftring.storage.dir = \"a\"\nraftring.storage.journal.dir = \"b\"");
    assertThat(StorageSettings.fromConfig(root.getConfig(JOURNAL), JOURNAL, root).dir()).isEqualTo(Path.of("b"));
    String snapshots = "raftring.storage.snapshot-store";
    assertThat(StorageSettings.fromConfig(root.getConfig(snapshots), snapshots, root).dir()).isEqualTo(Path.of("a"));
  }

  @Test
  void aMissingDirectoryFailsWithAMessageThatSaysWhatToSet() {
    Config root = root("raftring.storage.dir = null");
    assertThatThrownBy(() -> StorageSettings.fromConfig(root.getConfig(JOURNAL), JOURNAL, root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no data directory configured")
        .hasMessageContaining("raftring.storage.dir");
  }

  @Test
  void aBlankDirectoryIsAsBadAsAMissingOne() {
    Config root = root("raftring.storage.dir = \"  \"");
    assertThatThrownBy(() -> StorageSettings.fromConfig(root.getConfig(JOURNAL), JOURNAL, root))
        .hasMessageContaining("no data directory configured");
  }
}
