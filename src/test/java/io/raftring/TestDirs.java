package io.raftring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test clusters' temporary data directories, deleted once their nodes are down. */
public final class TestDirs {

  private TestDirs() {}

  /** Deletes everything under {@code dir}, and {@code dir} itself when {@code itself}; a missing one is fine. */
  public static void delete(Path dir, boolean itself) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).filter(p -> itself || !p.equals(dir)).forEach(p -> p.toFile().delete());
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
