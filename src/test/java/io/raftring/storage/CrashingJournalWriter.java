package io.raftring.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM side of {@link JournalCrashSafetyTest}: several writers append synced events forever, each waiting for its
 * acknowledgement, and print {@code ACK <persistenceId> <sequenceNr>} once it came. The parent kills this JVM with
 * SIGKILL at a moment of its choosing. Each run continues where the previous (killed) one left off.
 *
 * <p>Arguments: database directory, number of writers.
 */
public final class CrashingJournalWriter {

  private CrashingJournalWriter() {}

  static String persistenceId(int writer) {
    return "crash-writer-" + writer;
  }

  /** What event {@code sequenceNr} of a persistenceId holds, so the parent can check the bytes, not just the key. */
  static byte[] eventBytes(String persistenceId, long sequenceNr) {
    return (persistenceId + ":" + sequenceNr + ":" + "x".repeat((int) (sequenceNr % 200)))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int writers = Integer.parseInt(args[1]);
    RocksDbStore store = RocksDbStore.open(StorageSettings.defaults(dir)); // never closed: this JVM dies by SIGKILL
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String persistenceId = persistenceId(w);
      Thread thread = new Thread(() -> {
        long sequenceNr = store.highestSequenceNr(persistenceId) + 1;
        while (true) {
          // Two events per write: an atomic write must also survive whole or not at all.
          store.appendEvents(persistenceId, List.of(
              new JournalEntry(sequenceNr, eventBytes(persistenceId, sequenceNr)),
              new JournalEntry(sequenceNr + 1, eventBytes(persistenceId, sequenceNr + 1)))).join();
          synchronized (System.out) {
            System.out.println("ACK " + persistenceId + " " + (sequenceNr + 1));
            System.out.flush();
          }
          sequenceNr += 2;
        }
      }, "writer-" + w);
      threads.add(thread);
    }
    System.out.println("READY");
    System.out.flush();
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
