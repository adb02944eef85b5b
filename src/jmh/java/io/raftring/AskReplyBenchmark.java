package io.raftring;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One ask of a local actor and a callback on its answer, as GroupRouter does per client request. Akka's
 * {@code AskPattern.ask} returns a Scala future seen as a CompletionStage, whose non-async callbacks
 * ({@code whenComplete}, {@code thenApply}...) run asynchronously on the default executor: ForkJoinPool.commonPool(),
 * or on a machine with fewer than three cores a new thread per callback. {@code whenComplete} is that;
 * {@code whenCompleteOnReplyThread} passes an executor that runs the callback where the answer arrives. The teardown
 * prints the threads started per operation. Run through bench/edge-bench.sh AskReplyBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AskReplyBenchmark {

  private static final Executor SAME_THREAD = Runnable::run;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  record Ping(ActorRef<String> replyTo) {}

  private ActorSystem<Ping> system;
  private long threadsAtStart;
  private long operations;

  @Setup(Level.Trial)
  public void setUp() {
    system = ActorSystem.create(Behaviors.receiveMessage(ping -> {
      ping.replyTo().tell("pong");
      return Behaviors.same();
    }), "ask-bench", ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.load()));
    threadsAtStart = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threadsAtStart;
    System.out.printf("%n[ask-bench] %d threads started in %d operations (%.2f per operation); %d processors%n",
        started, operations, operations == 0 ? 0.0 : (double) started / operations,
        Runtime.getRuntime().availableProcessors());
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private CompletionStage<String> ask() {
    operations++;
    return AskPattern.ask(system, Ping::new, TIMEOUT, system.scheduler());
  }

  @Benchmark
  public String whenComplete() {
    CompletableFuture<String> done = new CompletableFuture<>();
    ask().whenComplete((reply, error) -> done.complete(reply));
    return done.join();
  }

  @Benchmark
  public String whenCompleteOnReplyThread() {
    CompletableFuture<String> done = new CompletableFuture<>();
    ask().whenCompleteAsync((reply, error) -> done.complete(reply), SAME_THREAD);
    return done.join();
  }
}
