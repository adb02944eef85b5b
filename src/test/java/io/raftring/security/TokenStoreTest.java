package io.raftring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  @TempDir Path tmp;

  private final AtomicLong nanos = new AtomicLong();
  private final Duration interval = Duration.ofSeconds(5);

  @Test
  void aRevokedTokenStopsWorkingOnceTheIntervalPassed() throws Exception {
    Path file = write("alice read " + BearerTokens.hash("a") + "\nbob write " + BearerTokens.hash("b") + "\n", 1);
    TokenStore store = TokenStore.open(file, interval, nanos::get);
    assertThat(store.authenticate("b")).isPresent();

    write("alice read " + BearerTokens.hash("a") + "\n", 2);
    nanos.addAndGet(interval.toNanos() - 1);
    assertThat(store.authenticate("b")).as("not checked again before the interval").isPresent();
    nanos.addAndGet(1);
    assertThat(store.authenticate("b")).isEmpty();
    assertThat(store.authenticate("a")).isPresent();
  }

  @Test
  void aBrokenFileLeavesTheTokensReadBeforeInForce() throws Exception {
    Path file = write("alice read " + BearerTokens.hash("a") + "\n", 1);
    TokenStore store = TokenStore.open(file, interval, nanos::get);

    write("alice read " + BearerTokens.hash("a") + "\nhalf-written line", 2);
    nanos.addAndGet(interval.toNanos());
    assertThat(store.authenticate("a")).isPresent();

    Files.delete(file);
    nanos.addAndGet(interval.toNanos());
    assertThat(store.authenticate("a")).isPresent();
  }

  @Test
  void aMissingOrMalformedFileRefusesToStart() throws Exception {
    assertThatThrownBy(() -> TokenStore.open(tmp.resolve("absent"), interval, nanos::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent");
    Path bad = write("alice reader " + BearerTokens.hash("a"), 1);
    assertThatThrownBy(() -> TokenStore.open(bad, interval, nanos::get))
        .hasMessageContaining("line 1").hasMessageContaining("unknown role");
  }

  /** Writes the file with a modification time of its own, so a change is seen even within the clock's resolution. */
  private Path write(String text, int version) throws Exception {
    Path file = tmp.resolve("tokens");
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + version)));
    return file;
  }
}
