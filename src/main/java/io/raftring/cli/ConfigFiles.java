package io.raftring.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the launcher's configuration files are: relative to the working directory, else to $RAFTRING_HOME. */
final class ConfigFiles {

  private ConfigFiles() {}

  /** {@code relative} in the working directory if it exists there, else under $RAFTRING_HOME, else null. */
  static Path find(String relative) {
    Path here = Path.of(relative);
    if (Files.isRegularFile(here)) {
      return here;
    }
    String home = System.getenv("RAFTRING_HOME");
    if (home != null && !home.isBlank()) {
      Path there = Path.of(home).resolve(relative);
      if (Files.isRegularFile(there)) {
        return there;
      }
    }
    return null;
  }
}
