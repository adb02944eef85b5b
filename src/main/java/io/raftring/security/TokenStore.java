package io.raftring.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens file of a node ({@code raftring.http.auth.tokens-file}), read at start and read again when it changes,
 * so tokens are added and revoked without a restart. A request looks at the file's modification time at most once
 * per {@code reloadInterval}; a file that became unreadable or malformed is logged and the tokens read before stay in
 * force (a half-written file must not lock every client out, nor let anyone in).
 */
public final class TokenStore {

  private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

  private final Path file;
  private final long reloadIntervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong nextCheck;
  private volatile Loaded loaded;

  private record Loaded(TokenRegistry registry, FileTime modified, long size) {}

  private TokenStore(Path file, Duration reloadInterval, LongSupplier nanoClock, Loaded first) {
    this.file = file;
    this.reloadIntervalNanos = reloadInterval.toNanos();
    this.nanoClock = nanoClock;
    this.loaded = first;
    this.nextCheck = new AtomicLong(nanoClock.getAsLong() + reloadIntervalNanos);
  }

  /** Reads {@code file}; IllegalArgumentException when it is missing, unreadable or malformed. */
  public static TokenStore open(Path file, Duration reloadInterval, LongSupplier nanoClock) {
    Objects.requireNonNull(file, "file");
    try {
      return new TokenStore(file, reloadInterval, nanoClock, read(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the tokens file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tokens file " + file + ", " + e.getMessage(), e);
    }
  }

  private static Loaded read(Path file) throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    TokenRegistry registry = TokenRegistry.parse(Files.readString(file, StandardCharsets.UTF_8));
    return new Loaded(registry, modified, size);
  }

  /** The caller {@code token} belongs to, by the file as last read successfully. */
  public Optional<Principal> authenticate(String token) {
    reloadIfDue();
    return loaded.registry().authenticate(token);
  }

  /** How many tokens are in force. */
  public int size() {
    return loaded.registry().size();
  }

  private void reloadIfDue() {
    long now = nanoClock.getAsLong();
    long due = nextCheck.get();
    if (now - due < 0 || !nextCheck.compareAndSet(due, now + reloadIntervalNanos)) {
      return; // not yet, or another request is checking
    }
    Loaded current = loaded;
    try {
      if (Files.getLastModifiedTime(file).equals(current.modified()) && Files.size(file) == current.size()) {
        return;
      }
      Loaded next = read(file);
      loaded = next;
      log.info("tokens file {} read again: {} tokens", file, next.registry().size());
    } catch (IOException | IllegalArgumentException e) {
      log.error("tokens file {} could not be read again; the {} tokens read before stay in force: {}",
          file, current.registry().size(), e.getMessage());
    }
  }
}
