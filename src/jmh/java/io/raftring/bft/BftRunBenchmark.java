package io.raftring.bft;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The time of one whole Byzantine agreement run at the largest sizes {@link BftRunRequest#validate()} admits, on the
 * runs' own one-thread dispatcher. On a busy machine the time per run includes waiting for a core, so the process's
 * CPU time per run is printed too, at the end of each trial ("cpu per run"). Run through bench/bft-bench.sh; the
 * figures behind raftring.bft's bounds are in README, "Byzantine generals".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BftRunBenchmark {

  /** algorithm:n:m; the defaults are the largest runs allowed (OM 242,235 messages, SM 2,580 checks by the bound). */
  @Param({"om:64:2", "sm:16:3"})
  String run;

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private long runs;
  private long cpuNanos;
  private ActorSystem<Void> system;
  private ByzantineAgreement agreement;
  private BftRunRequest request;

  @Setup
  public void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "bft-bench", ConfigFactory.parseString(
        "akka.actor.provider = local\nakka.loglevel = WARNING").withFallback(ConfigFactory.load()));
    agreement = new ByzantineAgreement(system, Duration.ofMinutes(2));
    String[] parts = run.split(":");
    request = BftRunRequest.of(Algorithm.parse(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
        List.of(1), Order.ATTACK, TraitorStrategy.TWO_FACED);
  }

  @TearDown
  public void tearDown() {
    system.terminate();
    System.out.printf("%n%s: cpu per run %.0f ms over %d runs (warm-up included)%n", run, cpuNanos / 1e6 / runs, runs);
  }

  @Benchmark
  public BftRunResult oneRun() throws Exception {
    long cpu = os.getProcessCpuTime();
    BftRunResult result = agreement.run(request).toCompletableFuture().get();
    cpuNanos += os.getProcessCpuTime() - cpu;
    runs++;
    return result;
  }
}
