package io.raftring.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.raftring.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that was acknowledged survives the process being killed with SIGKILL right after: the child JVM prints
 * every acknowledged write and the parent kills it mid-stream, then checks every printed write is in the database.
 * Several rounds on one directory, so recovery after a crash is also written over and crashed again.
 */
class JournalCrashSafetyTest {

  private static final int WRITERS = 4;
  private static final int ROUNDS = 3;
  private static final long SEED = 20240611L;
  private static final long WAIT_SECONDS = 60;
  private static final String EOF = "\u0000EOF";

  @TempDir
  Path dir;

  @TempDir
  Path childLogs;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Random random = new Random(SEED);
    Map<String, Long> acknowledged = new HashMap<>(); // highest acknowledged sequence number per persistenceId
    for (int round = 1; round <= ROUNDS; round++) {
      int killAfterAcks = 20 + random.nextInt(400);
      runChildAndKillAfter(killAfterAcks, acknowledged, round);

      try (RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir))) {
        for (int w = 0; w < WRITERS; w++) {
          String persistenceId = CrashingJournalWriter.persistenceId(w);
          long acked = acknowledged.getOrDefault(persistenceId, 0L);
          List<Long> sequenceNrs = new ArrayList<>();
          store.replayEvents(persistenceId, 1, Long.MAX_VALUE, Long.MAX_VALUE, (bytes, sequenceNr) -> {
            sequenceNrs.add(sequenceNr);
            assertThat(bytes).as("event %d of %s", sequenceNr, persistenceId)
                .isEqualTo(CrashingJournalWriter.eventBytes(persistenceId, sequenceNr));
          });
          long stored = sequenceNrs.size();
          assertThat(stored).as("round %d: %s keeps every acknowledged event", round, persistenceId)
              .isGreaterThanOrEqualTo(acked);
          // No holes, and atomic writes of two events are never cut in half (unacknowledged ones may be there whole).
          assertThat(sequenceNrs).as("round %d: %s is 1..n without holes", round, persistenceId)
              .isEqualTo(java.util.stream.LongStream.rangeClosed(1, stored).boxed().toList());
          assertThat(stored % 2).as("round %d: %s holds whole atomic writes only", round, persistenceId).isZero();
          assertThat(store.highestSequenceNr(persistenceId)).isEqualTo(stored);
        }
      }
    }
    assertThat(acknowledged.values().stream().mapToLong(Long::longValue).sum()).isPositive();
  }

  private void runChildAndKillAfter(int killAfterAcks, Map<String, Long> acknowledged, int round) throws Exception {
    Path stderr = childLogs.resolve("child-" + round + ".err");
    ProcessBuilder builder = ChildJvm.of(
            CrashingJournalWriter.class, List.of("-Xmx256m"), dir.toString(), Integer.toString(WRITERS))
        .redirectErrorStream(false)
        .redirectError(stderr.toFile());
    Process child = builder.start();
    try {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> readLines(child, lines), "child-stdout-reader");
      reader.setDaemon(true);
      reader.start();

      int acks = 0;
      while (acks < killAfterAcks) {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
          fail("child wrote %d of %d acknowledgements, then %s; its stderr: %s", acks, killAfterAcks,
              line == null ? "nothing for " + WAIT_SECONDS + " s" : "exited", readQuietly(stderr));
        }
        acks += record(line, acknowledged);
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, whatever is in flight is cut off
      assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child died").isTrue();
      // Lines printed before the kill are acknowledgements too.
      for (String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS); line != null && !line.equals(EOF);
          line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS)) {
        record(line, acknowledged);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Records an "ACK id seq" line; returns 1 if it was one. */
  private static int record(String line, Map<String, Long> acknowledged) {
    if (!line.startsWith("ACK ")) {
      return 0;
    }
    String[] parts = line.split(" ");
    acknowledged.merge(parts[1], Long.parseLong(parts[2]), Math::max);
    return 1;
  }

  private static void readLines(Process child, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The child was killed; what was read is in the queue.
    } finally {
      lines.add(EOF);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(none)";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
