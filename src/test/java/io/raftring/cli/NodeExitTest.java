package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's exit status is what a supervisor goes by: a fatal error in the JVM (here a StackOverflowError inside an
 * actor, the crash of issue 14) must exit non-zero, while a shutdown by SIGTERM exits 0. Each case runs a JVM of its
 * own ({@link NodeExitProbe}).
 */
class NodeExitTest {

  private static final long WAIT_SECONDS = 60;

  @Test
  void aFatalErrorExitsTheJvmWith255() throws Exception {
    Process probe = start("fatal");
    try {
      assertThat(probe.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the probe exited").isTrue();
      assertThat(probe.exitValue()).isEqualTo(255);
    } finally {
      probe.destroyForcibly();
    }
  }

  @Test
  void sigtermShutsDownCleanlyWithExit0() throws Exception {
    Process probe = start("wait");
    try {
      probe.destroy(); // SIGTERM
      assertThat(probe.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the probe exited").isTrue();
      assertThat(probe.exitValue()).isZero();
    } finally {
      probe.destroyForcibly();
    }
  }

  @Test
  void localCallsANonZeroExitANodeFailure() {
    assertThat(LocalCommand.exitReport("n1", 255)).startsWith("NODE FAILURE: n1 exited with code 255")
        .contains("fatal error");
    assertThat(LocalCommand.exitReport("n2", 0)).isEqualTo("n2 exited by itself (code 0)");
  }

  /** Starts the probe and waits until its actor system runs and NodeExit is installed. */
  private static Process start(String mode) throws Exception {
    Process probe = ChildJvm.of(NodeExitProbe.class, List.of("-Xmx128m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), mode).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // skip start-up output
    }
    assertThat(line).as("the probe started").isEqualTo("READY");
    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "probe-output");
    drain.setDaemon(true);
    drain.start();
    return probe;
  }
}
