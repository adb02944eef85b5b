package io.raftring.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Synced journal writes per second with 1, 8 and 64 concurrent writers, each waiting for its acknowledgement before
 * its next write, as a Raft replica does. Group commit is what makes the many-writer figures higher: the writers
 * share fsyncs. Run with bench/journal-bench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalWriteBenchmark {

  /** Serialized size of one event; a small Raft entry. */
  @Param("256")
  public int eventBytes;

  private Path dir;
  private RocksDbStore store;
  private byte[] event;

  /** One writer: its own persistenceId (its own replica) and its next sequence number. */
  @State(Scope.Thread)
  public static class Writer {
    String persistenceId;
    long sequenceNr;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      persistenceId = "raft|" + thread.getThreadIndex() + "|bench-node";
      sequenceNr = 0;
    }
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
        "journal-bench");
    store = RocksDbStore.open(StorageSettings.defaults(dir));
    event = new byte[eventBytes];
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    long operations = store.committedOperations();
    long syncs = store.syncedWrites();
    store.close();
    System.out.printf("%n[journal-bench] %d writes in %d synced RocksDB writes: %.1f writes per fsync%n",
        operations, syncs, syncs == 0 ? 0.0 : (double) operations / syncs);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private void writeAndAwaitAck(Writer writer) {
    writer.sequenceNr++;
    store.appendEvents(writer.persistenceId, List.of(new JournalEntry(writer.sequenceNr, event))).join();
  }

  @Benchmark
  @Threads(1)
  public void writers001(Writer writer) {
    writeAndAwaitAck(writer);
  }

  @Benchmark
  @Threads(8)
  public void writers008(Writer writer) {
    writeAndAwaitAck(writer);
  }

  @Benchmark
  @Threads(64)
  public void writers064(Writer writer) {
    writeAndAwaitAck(writer);
  }
}
