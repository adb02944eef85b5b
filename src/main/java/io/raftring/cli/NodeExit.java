package io.raftring.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The exit status of a node's JVM, which is what a supervisor (systemd, Kubernetes, {@code raftring local}) goes by:
 * 0 after a clean shutdown, non-zero after a failure, so the supervisor restarts it.
 *
 * <p>The JVM exits 130 after SIGINT and 143 after SIGTERM even when its shutdown hooks (here Akka's
 * CoordinatedShutdown) finished their work, so after those signals a hook turns the exit into 0 once the actor system
 * has terminated. Only after those signals: when Akka meets a fatal error (StackOverflowError, OutOfMemoryError...)
 * with {@code akka.jvm-exit-on-fatal-error} on, it calls {@code System.exit(-1)}, which runs the same hooks, and that
 * exit must stay 255. A shutdown the node started itself (decommissioned, parent gone) exits with Akka's
 * CoordinatedShutdown code, 0.
 */
final class NodeExit {

  private static final AtomicBoolean SIGNALLED = new AtomicBoolean();

  private NodeExit() {}

  /** Exit 0 after SIGINT or SIGTERM once {@code system} has terminated; any other exit keeps its status. */
  static void install(ActorSystem<?> system) {
    for (String name : List.of("INT", "TERM")) {
      recordSignal(name);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!SIGNALLED.get()) {
        return;
      }
      // Polls the classic system's termination: when Akka's exit-jvm calls System.exit from a callback of that
      // future, futures derived from it complete only after that callback returns, so waiting on them would deadlock.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try {
        while (!Adapter.toClassic(system).whenTerminated().isCompleted()) {
          if (System.nanoTime() - deadline > 0) {
            return; // not terminated in time: let the JVM exit with the signal's code
          }
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        return;
      }
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(RaftRingMain.OK);
    }, "raftring-clean-exit"));
  }

  /** Notes that {@code name} arrived, then lets the JVM's own handler start the shutdown as before. */
  private static void recordSignal(String name) {
    Signal signal = new Signal(name);
    AtomicReference<SignalHandler> previous = new AtomicReference<>();
    SignalHandler recording = s -> {
      SIGNALLED.set(true);
      SignalHandler jvmHandler = previous.get();
      if (jvmHandler != null && jvmHandler != SignalHandler.SIG_DFL && jvmHandler != SignalHandler.SIG_IGN) {
        jvmHandler.handle(s);
      } else {
        System.exit(128 + s.getNumber());
      }
    };
    try {
      previous.set(Signal.handle(signal, recording));
    } catch (IllegalArgumentException e) {
      // The JVM does not handle this signal (e.g. started with -Xrs): the exit keeps the signal's status.
    }
  }
}
