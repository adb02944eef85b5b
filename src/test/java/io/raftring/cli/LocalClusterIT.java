package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: `raftring local` in a child JVM starts three node JVMs; a put through one node is read back through
 * another; SIGTERM to `local` stops every node; a second `local` on the same data finds the value again.
 *
 * <p>Run by Failsafe in `mvn verify`.
 */
class LocalClusterIT {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path data;

  @Test
  void aLocalClusterServesWritesAndFindsThemAgainAfterARestart() throws Exception {
    int arteryBase = freeRange(3);
    int httpBase = freeRange(3);

    try (LocalProcess first = LocalProcess.start(data, arteryBase, httpBase)) {
      first.awaitReady();
      CliRun put = CliRun.of("put", "greeting", "hello", "--endpoint", "http://127.0.0.1:" + httpBase);
      assertThat(put.exitCode()).as(put.toString()).isZero();
      CliRun get = CliRun.of("get", "greeting", "--endpoint", "http://127.0.0.1:" + (httpBase + 1));
      assertThat(get.exitCode()).as(get.toString()).isZero();
      assertThat(get.out()).isEqualTo("hello");
      first.stopAndExpectEveryNodeGone();
    }

    try (LocalProcess second = LocalProcess.start(data, arteryBase, httpBase)) {
      second.awaitReady();
      CliRun get = CliRun.of("get", "greeting", "--endpoint", "http://127.0.0.1:" + (httpBase + 2));
      assertThat(get.exitCode()).as(get.toString()).isZero();
      assertThat(get.out()).isEqualTo("hello");
      second.stopAndExpectEveryNodeGone();
    }
  }

  /** `raftring local` as a child process, its output kept for failure messages. */
  private static final class LocalProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;

    private LocalProcess(Process process) {
      this.process = process;
      this.pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (output) {
              output.add(line);
            }
            if (line.startsWith("RaftRing local cluster ready:")) {
              ready.countDown();
            }
          }
        } catch (IOException ignored) {
          // process gone
        }
      });
      this.pump.setDaemon(true);
      this.pump.start();
    }

    static LocalProcess start(Path data, int arteryBase, int httpBase) throws IOException {
      String classpath = Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator
          + Files.readString(Path.of("target/classpath.txt")).strip();
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
          RaftRingMain.class.getName(), "local", "--data", data.toString(), "--config", "conf/local.conf",
          "--artery-base-port", Integer.toString(arteryBase), "--http-base-port", Integer.toString(httpBase),
          "--ready-timeout", "30s")
          .redirectErrorStream(true);
      return new LocalProcess(pb.start());
    }

    void awaitReady() throws InterruptedException {
      boolean isReady = ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(isReady).as("local cluster ready within %s; output:%n%s", READY_TIMEOUT, output()).isTrue();
    }

    void stopAndExpectEveryNodeGone() throws InterruptedException {
      List<ProcessHandle> nodes = process.descendants().toList();
      assertThat(nodes).as(output()).hasSize(3);
      // SIGTERM through the handle: Process.destroy() would also close our end of its output, losing the lines it
      // prints while it stops.
      process.toHandle().destroy();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(output()).isTrue();
      for (ProcessHandle node : nodes) {
        assertThat(node.onExit().completeOnTimeout(node, 10, TimeUnit.SECONDS).join().isAlive()).as(output()).isFalse();
      }
      pump.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(output()).contains("n1 stopped (exit code 0)", "n2 stopped (exit code 0)", "n3 stopped (exit code 0)");
    }

    String output() {
      synchronized (output) {
        return String.join("\n", output);
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        List<ProcessHandle> nodes = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        nodes.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }


  /** A base port with {@code count} free ports from it, in the range below Linux's ephemeral ports. */
  private static int freeRange(int count) throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20000 + random.nextInt(10000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }
}
