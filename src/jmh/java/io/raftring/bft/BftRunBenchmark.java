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
 * runs' own one-thread dispatcher, so time per run is about the CPU a run takes. Run through bench/bft-bench.sh; the
 * figures behind raftring.bft's bounds are in README, "Byzantine generals".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BftRunBenchmark {

  /** algorithm:n:m; the defaults are the largest runs allowed (OM 242,235 messages, SM 2,580 checks by the bound). */
  @Param({"om:64:2", "sm:16:3"})
  String run;

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
  }

  @Benchmark
  public BftRunResult oneRun() throws Exception {
    return agreement.run(request).toCompletableFuture().get();
  }
}
