package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFileTest {

  @TempDir Path dir;

  private static final List<KeyValue> G0 = List.of(
      new KeyValue("a", "1".getBytes(StandardCharsets.UTF_8), 1, 4, 2),
      new KeyValue("b", new byte[0], 3, 3, 1));

  private Path snapshot(String name, long revision, List<KeyValue> kvs) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      KvSnapshot.Writer writer = new KvSnapshot.Writer(out, revision);
      for (KeyValue kv : kvs) {
        writer.add(kv);
      }
      writer.finish();
    }
    return file;
  }

  private byte[] backupOfTwoGroups() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BackupFile.Writer writer = new BackupFile.Writer(bytes, Instant.ofEpochMilli(1_700_000_000_000L), 2);
    writer.group("g0", 42, snapshot("g0", 7, G0));
    writer.group("g1", 3, snapshot("g1", 0, List.of()));
    writer.finish();
    return bytes.toByteArray();
  }

  private static String digestOf(long revision, List<KeyValue> kvs) {
    BackupFile.Digest digest = new BackupFile.Digest(revision);
    kvs.forEach(digest::add);
    return digest.hex();
  }

  @Test
  void aBackupReadsBackGroupByGroupWithRevisionsKeysAndDigests() throws IOException {
    Path file = dir.resolve("backup");
    Files.write(file, backupOfTwoGroups());

    BackupFile.Summary summary = BackupFile.verify(file);

    assertThat(summary.createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(summary.groups()).containsExactly(
        new BackupFile.GroupSummary("g0", 7, 42, 2, digestOf(7, G0)),
        new BackupFile.GroupSummary("g1", 0, 3, 0, digestOf(0, List.of())));
    assertThat(summary.keys()).isEqualTo(2);

    BackupFile.Reader reader = new BackupFile.Reader(Files.newInputStream(file));
    BackupFile.Section g0 = reader.next();
    List<KeyValue> read = new ArrayList<>();
    for (KeyValue kv = g0.snapshot().next(); kv != null; kv = g0.snapshot().next()) {
      read.add(kv);
    }
    assertThat(read).isEqualTo(G0);
  }

  @Test
  void digestsDifferWhenOnlyARevisionDiffers() {
    List<KeyValue> other = List.of(G0.get(0), new KeyValue("b", new byte[0], 3, 3, 2));
    assertThat(digestOf(7, G0)).isNotEqualTo(digestOf(7, other)).isNotEqualTo(digestOf(8, G0));
  }

  @Test
  void aDamagedOrTruncatedBackupIsRefused() throws IOException {
    byte[] good = backupOfTwoGroups();
    Path file = dir.resolve("bad");
    for (int i = 0; i < good.length; i++) {
      byte[] flipped = good.clone();
      flipped[i] ^= 0x10;
      Files.write(file, flipped);
      assertThatThrownBy(() -> BackupFile.verify(file)).as("byte %d flipped", i).isInstanceOf(IOException.class);
    }
    for (int cut = 0; cut < good.length; cut++) {
      Files.write(file, Arrays.copyOf(good, cut));
      assertThatThrownBy(() -> BackupFile.verify(file)).as("cut at %d", cut).isInstanceOf(IOException.class);
    }
  }

  @Test
  void somethingElseIsNotTakenForABackup() {
    assertThatThrownBy(() -> new BackupFile.Reader(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("not a RaftRing backup");
  }
}
