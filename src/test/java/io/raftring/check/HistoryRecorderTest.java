package io.raftring.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {

  @TempDir
  Path dir;

  @Test
  void whatIsRecordedIsReadBackUnchanged() throws IOException {
    Path file = dir.resolve("histories/round-trip.jsonl");
    AtomicLong clock = new AtomicLong(1_000);
    HistoryRecorder recorder = new HistoryRecorder(Files.newBufferedWriter(createParent(file)), clock::incrementAndGet);

    recorder.invokeWrite(0, "k", "a");
    recorder.invokeRead(1, "k");
    recorder.ok(0);
    recorder.okRead(1, "a");
    recorder.invokeCas(0, "k", "a", "b");
    recorder.invokeCas(1, "k", null, "c");
    recorder.ok(0);
    recorder.refused(1);
    recorder.invokeDelete(2, "k");
    recorder.info(2, "504 TIMEOUT");
    recorder.invokeRead(1, "k");
    recorder.okRead(1, null);
    recorder.invokeWrite(3, "k", "never-answered");
    History recorded = recorder.history();
    recorder.close();

    History read = HistoryReader.read(file);

    assertThat(read.events()).isEqualTo(recorded.events());
    assertThat(read.operations()).isEqualTo(recorded.operations()).containsExactly(
        new Operation(0, OpKind.WRITE, "k", null, "a", Outcome.OK, 1001, 1003),
        new Operation(1, OpKind.READ, "k", null, "a", Outcome.OK, 1002, 1004),
        new Operation(0, OpKind.CAS, "k", "a", "b", Outcome.OK, 1005, 1007),
        new Operation(1, OpKind.CAS, "k", null, "c", Outcome.REFUSED, 1006, 1008),
        new Operation(2, OpKind.DELETE, "k", null, null, Outcome.INFO, 1009, 1010),
        new Operation(1, OpKind.READ, "k", null, null, Outcome.OK, 1011, 1012),
        new Operation(3, OpKind.WRITE, "k", null, "never-answered", Outcome.INFO, 1013, Operation.NEVER));
  }

  @Test
  void eachEventIsOneJsonLineInTheAgreedFormat() throws IOException {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong(41);
    try (HistoryRecorder recorder = new HistoryRecorder(out, clock::incrementAndGet)) {
      recorder.invokeCas(7, "user/1", null, "x");
      recorder.ok(7);
      recorder.invokeRead(7, "user/1");
      recorder.okRead(7, "x");
    }

    assertThat(out.toString().lines()).containsExactly(
        "{\"process\":7,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"user/1\",\"value\":[null,\"x\"],\"time\":42}",
        "{\"process\":7,\"type\":\"ok\",\"f\":\"cas\",\"key\":\"user/1\",\"value\":[null,\"x\"],\"time\":43}",
        "{\"process\":7,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"user/1\",\"value\":null,\"time\":44}",
        "{\"process\":7,\"type\":\"ok\",\"f\":\"read\",\"key\":\"user/1\",\"value\":\"x\",\"time\":45}");
  }

  @Test
  void failuresCarryTheirCauseAndOnlyACasCanBeRefused() throws IOException {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong();
    try (HistoryRecorder recorder = new HistoryRecorder(out, clock::incrementAndGet)) {
      recorder.invokeWrite(0, "k", "a");
      assertThatThrownBy(() -> recorder.refused(0)).hasMessageContaining("only a cas can be refused");
      recorder.fail(0, "503 NO_QUORUM");
      recorder.invokeCas(0, "k", "a", "b");
      recorder.refused(0);
      recorder.invokeWrite(0, "k", "c");
      recorder.info(0, "504 TIMEOUT");
    }

    assertThat(out.toString().lines()).containsExactly(
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"time\":1}",
        "{\"process\":0,\"type\":\"fail\",\"f\":\"write\",\"key\":\"k\",\"value\":\"a\",\"error\":\"503 NO_QUORUM\",\"time\":2}",
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":3}",
        "{\"process\":0,\"type\":\"fail\",\"f\":\"cas\",\"key\":\"k\",\"value\":[\"a\",\"b\"],\"time\":4}",
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k\",\"value\":\"c\",\"time\":5}",
        "{\"process\":0,\"type\":\"info\",\"f\":\"write\",\"key\":\"k\",\"value\":\"c\",\"error\":\"504 TIMEOUT\",\"time\":6}");
  }

  @Test
  void aProcessCannotHaveTwoOperationsInFlight() throws IOException {
    try (HistoryRecorder recorder = new HistoryRecorder(new StringWriter(), System::nanoTime)) {
      recorder.invokeRead(0, "k");

      assertThatThrownBy(() -> recorder.invokeWrite(0, "k", "a")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> recorder.ok(1)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> recorder.ok(0)).hasMessageContaining("use okRead for a read");
    }
  }

  @Test
  void manyClientThreadsOfARealRegisterProduceALinearizableHistory() throws Exception {
    Path file = dir.resolve("concurrent.jsonl");
    ConcurrentHashMap<String, String> store = new ConcurrentHashMap<>();
    int threads = 8;
    int opsPerThread = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (HistoryRecorder recorder = HistoryRecorder.toFile(file)) {
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int process = t;
        clients.add(pool.submit(() -> runClient(process, opsPerThread, store, recorder)));
      }
      for (Future<?> client : clients) {
        client.get();
      }
    } finally {
      pool.shutdown();
    }

    History history = HistoryReader.read(file);
    CheckResult result = new LinearizabilityChecker().check(history);

    assertThat(history.operations()).hasSize(threads * opsPerThread);
    assertThat(result.isLinearizable()).as("%s", result).isTrue();
  }

  private static void runClient(int process, int ops, ConcurrentHashMap<String, String> store,
      HistoryRecorder recorder) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < ops; i++) {
      String key = "k" + random.nextInt(3);
      String value = process + "-" + i;
      switch (random.nextInt(4)) {
        case 0 -> {
          recorder.invokeRead(process, key);
          recorder.okRead(process, store.get(key));
        }
        case 1 -> {
          recorder.invokeWrite(process, key, value);
          store.put(key, value);
          recorder.ok(process);
        }
        case 2 -> {
          String expected = store.get(key);
          recorder.invokeCas(process, key, expected, value);
          boolean applied = expected == null
              ? store.putIfAbsent(key, value) == null
              : store.replace(key, expected, value);
          if (applied) {
            recorder.ok(process);
          } else {
            recorder.refused(process);
          }
        }
        default -> {
          recorder.invokeDelete(process, key);
          store.remove(key);
          recorder.ok(process);
        }
      }
    }
  }

  private static Path createParent(Path file) throws IOException {
    Files.createDirectories(Objects.requireNonNull(file.getParent()));
    return file;
  }
}
