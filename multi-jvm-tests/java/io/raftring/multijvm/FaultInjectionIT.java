package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real node processes killed, paused and cut off while clients read, write, compare-and-set and delete; every history
 * is checked for linearizability, every key is read back after the faults heal, writes must resume within a bound
 * after each heal, and strong reads through a node cut off in a minority must be refused.
 *
 * <p>By default each scenario puts load on the cluster for 12 s (CI). A soak runs each for longer, and adds a scenario
 * mixing every kind of fault: {@code mvn -o -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=FaultInjectionIT -Draftring.soak=300s} (or {@code -Dit.test='FaultInjectionIT#mixed*'} for the mixed
 * one alone). {@code -Draftring.seed=N} replays a run's choices of faults and operations (not its timing). Histories, fault logs and a summary are in {@code target/histories/}; node logs in
 * {@code target/multi-jvm/<scenario>/<node>/node.log}.
 */
@Timeout(value = 45, unit = java.util.concurrent.TimeUnit.MINUTES)
class FaultInjectionIT {

  private static final Duration LOAD = soakDuration().orElse(Duration.ofSeconds(12));
  private static final long SEED = Long.getLong("raftring.seed", System.currentTimeMillis());

  private static java.util.Optional<Duration> soakDuration() {
    String soak = System.getProperty("raftring.soak", "").trim();
    if (soak.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Duration.ofMillis(com.typesafe.config.ConfigFactory
        .parseString("d = " + soak).getDuration("d").toMillis()));
  }

  private static ScenarioRunner.Timing timing() {
    return new ScenarioRunner.Timing(LOAD, Duration.ofMillis(1500), Duration.ofMillis(3000), Duration.ofSeconds(15));
  }

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  private static void passes(ScenarioRunner.Report report) {
    assertThat(report.problems()).as(report.summary() + " (seed " + SEED + ")").isEmpty();
    assertThat(report.faults()).as("faults injected").isPositive();
  }

  @Test
  void leaderCrashAndRestartWithOneGroup() throws Exception {
    passes(ScenarioRunner.run("leader-crash-g1", 3, 1, Nemesis.crashLeader(), timing(), SEED));
  }

  @Test
  void randomCrashesWithFourGroups() throws Exception {
    passes(ScenarioRunner.run("random-crash-g4", 3, 4, Nemesis.crashRandom(), timing(), SEED));
  }

  @Test
  void pausesWithOneGroup() throws Exception {
    passes(ScenarioRunner.run("pause-g1", 3, 1, Nemesis.pause(), timing(), SEED));
  }

  @Test
  void leaderIsolatedWithOneGroup() throws Exception {
    passes(ScenarioRunner.run("isolate-leader-g1", 3, 1, Nemesis.isolateLeader(), timing(), SEED));
  }

  @Test
  void majorityMinorityPartitionWithFourGroups() throws Exception {
    passes(ScenarioRunner.run("majority-minority-g4", 3, 4, Nemesis.majorityMinority(), timing(), SEED));
  }

  @Test
  void bridgeWithOneGroup() throws Exception {
    passes(ScenarioRunner.run("bridge-g1", 3, 1, Nemesis.bridge(), timing(), SEED));
  }

  @Test
  void restartAllWithFourGroups() throws Exception {
    passes(ScenarioRunner.run("restart-all-g4", 3, 4, Nemesis.restartAll(), timing(), SEED));
  }

  /**
   * Every kind of fault, one at a time in random order, on four groups: briefly in CI, and as the soak with
   * {@code -Draftring.soak=300s}.
   */
  @Test
  void mixedFaultsWithFourGroups() throws Exception {
    passes(ScenarioRunner.run("mixed-g4", 3, 4, Nemesis.mix(Nemesis.crashLeader(), Nemesis.crashRandom(),
        Nemesis.pause(), Nemesis.isolateLeader(), Nemesis.majorityMinority(), Nemesis.bridge(),
        Nemesis.restartAll()), timing(), SEED));
  }
}
