package io.raftring.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files with secrets in them (private keys, tokens): created readable and writable by their owner only. */
public final class PrivateFiles {

  private PrivateFiles() {}

  /** Writes {@code text} to a new file (replacing any) that only its owner may read, where the file system allows. */
  public static void write(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    create(file);
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Creates an empty file only its owner may read, and its parent directories. */
  public static void create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
  }
}
