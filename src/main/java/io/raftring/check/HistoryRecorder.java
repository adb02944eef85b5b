package io.raftring.check;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Records what test clients did, one JSON line per event, for {@link LinearizabilityChecker}. Safe to share between
 * any number of client threads.
 *
 * <p>Call an {@code invoke...} method just before sending a request, and {@link #ok}, {@link #okRead},
 * {@link #refused}, {@link #fail} or {@link #info} as soon as its answer (or the lack of one) is known. Each process
 * (a logical client) may have at most one operation in flight. Use {@link #refused} for a cas whose condition did not
 * hold (409): the checker verifies it, as an observation that the key held another value. Use {@link #fail}, naming
 * the cause, only when the operation certainly did not take effect (a request refused before it was proposed, a
 * connection never made); when in doubt - timeouts, lost connections - use {@link #info}: an unjustified fail can
 * hide a bug or report one that is not there.
 *
 * <p>The file is buffered and flushed on {@link #close()}.
 */
public final class HistoryRecorder implements AutoCloseable {

  private final Writer out;
  private final LongSupplier clock;
  private final Map<Integer, HistoryEvent> inFlight = new HashMap<>();
  private final List<HistoryEvent> recorded = new ArrayList<>();
  private boolean closed;

  /** @param clock nanoseconds from one monotonic clock; {@link System#nanoTime()} unless a test needs fixed times */
  public HistoryRecorder(Writer out, LongSupplier clock) {
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
    this.clock = clock;
  }

  /** Records to {@code file} (e.g. {@code target/histories/MyTest.jsonl}), creating its directory; nanoTime clock. */
  public static HistoryRecorder toFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new HistoryRecorder(Files.newBufferedWriter(file, StandardCharsets.UTF_8), System::nanoTime);
  }

  public void invokeRead(int process, String key) {
    invoke(process, OpKind.READ, key, null, null);
  }

  public void invokeWrite(int process, String key, String value) {
    invoke(process, OpKind.WRITE, key, null, value);
  }

  /** A cas that applies only if the key holds {@code expected} ({@code null} = only if absent). */
  public void invokeCas(int process, String key, String expected, String newValue) {
    invoke(process, OpKind.CAS, key, expected, newValue);
  }

  public void invokeDelete(int process, String key) {
    invoke(process, OpKind.DELETE, key, null, null);
  }

  /** The process's write, cas or delete took effect. */
  public void ok(int process) {
    complete(process, EventType.OK, false, null, null);
  }

  /** The process's read returned {@code value} ({@code null} = absent). */
  public void okRead(int process, String value) {
    complete(process, EventType.OK, true, value, null);
  }

  /** The process's cas changed nothing because the key did not hold the expected value (HTTP 409 CONFLICT). */
  public void refused(int process) {
    complete(process, EventType.FAIL, false, null, null);
  }

  /**
   * The process's operation certainly did not take effect, because of {@code error} (e.g. {@code "503 NO_QUORUM"},
   * {@code "ConnectException"}); never a cas's refused condition, which is {@link #refused}.
   */
  public void fail(int process, String error) {
    complete(process, EventType.FAIL, false, null, java.util.Objects.requireNonNull(error, "error"));
  }

  /** Nobody knows whether the process's operation took effect, or whether it still will; {@code why} may be null. */
  public void info(int process, String why) {
    complete(process, EventType.INFO, false, null, why);
  }

  /** Everything recorded so far, in order; handy to check a history without reading the file back. */
  public synchronized History history() {
    return History.of(recorded);
  }

  /** Flushes and closes the file. Operations still in flight stay as invocations, which the reader treats as info. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  // The time is read inside the lock so the file is in time order; reading it a little late is harmless because the
  // caller sends its request only after invoke returns, and reads its answer before calling complete.
  private synchronized void invoke(int process, OpKind f, String key, String expected, String value) {
    HistoryEvent pending = inFlight.get(process);
    if (pending != null) {
      throw new IllegalStateException("process " + process + " invokes a " + f.jsonName() + " while its "
          + pending.f().jsonName() + " of key \"" + pending.key() + "\" is in flight");
    }
    HistoryEvent event = HistoryEvent.invoke(process, f, key, expected, value, clock.getAsLong());
    inFlight.put(process, event);
    append(event);
  }

  private synchronized void complete(int process, EventType type, boolean okRead, String readValue, String error) {
    HistoryEvent invoke = inFlight.get(process);
    if (invoke == null) {
      throw new IllegalStateException("process " + process + " has no operation in flight to " + type.jsonName());
    }
    if (type == EventType.FAIL && error == null && invoke.f() != OpKind.CAS) {
      throw new IllegalStateException("only a cas can be refused on its condition, not a " + invoke.f().jsonName());
    }
    boolean read = invoke.f() == OpKind.READ;
    if (type == EventType.OK && read != okRead) {
      throw new IllegalStateException("use okRead for a read and ok for a " + invoke.f().jsonName());
    }
    inFlight.remove(process);
    String value = read ? readValue : invoke.value();
    append(new HistoryEvent(process, type, invoke.f(), invoke.key(), invoke.expected(), value, error,
        clock.getAsLong()));
  }

  private void append(HistoryEvent event) {
    if (closed) {
      throw new IllegalStateException("history recorder is closed");
    }
    recorded.add(event);
    try {
      out.write(HistoryJson.toLine(event));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
