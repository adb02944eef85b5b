package io.raftring.bft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java entry to the Byzantine agreement module: runs a {@link BftRunRequest} with one actor per general on the
 * given ActorSystem. Used by the HTTP route and the CLI.
 *
 * <p>The returned stage fails with {@link BftRequestException} when the request is invalid (nothing is started) and
 * with {@link BftRunFailedException} when the run did not finish in time.
 */
public final class ByzantineAgreement {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicLong RUNS = new AtomicLong();

  private final ActorSystem<?> system;
  private final Duration timeout;

  public ByzantineAgreement(ActorSystem<?> system) {
    this(system, DEFAULT_TIMEOUT);
  }

  /** Runs that may take {@code raftring.bft.run-timeout}. */
  public static ByzantineAgreement fromConfig(ActorSystem<?> system) {
    return new ByzantineAgreement(system, BftSettings.fromConfig(system.settings().config()).runTimeout());
  }

  public ByzantineAgreement(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** Runs with fresh Ed25519 keys made by each general itself. */
  public CompletionStage<BftRunResult> run(BftRunRequest request) {
    return run(request, null, Ed25519Signatures.INSTANCE);
  }

  /**
   * Runs with the given key pairs (null: each general makes its own) and signature scheme; tests use this to replay
   * many runs with fixed keys.
   */
  public CompletionStage<BftRunResult> run(BftRunRequest request, KeyRing keys, SignatureScheme scheme) {
    List<String> warnings;
    try {
      warnings = request.validate();
    } catch (BftRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    String name = "bft-run-" + RUNS.incrementAndGet();
    // Runs (coordinator and generals) stay on their own dispatcher, away from the threads the Raft replicas use.
    ActorRef<RunCoordinator.Command> coordinator = system.systemActorOf(
        RunCoordinator.create(request, warnings, timeout, keys, scheme), name,
        DispatcherSelector.fromConfig(BftSettings.DISPATCHER));
    CompletionStage<BftRunResult> answer =
        AskPattern.askWithStatus(
            coordinator, RunCoordinator.Start::new, timeout.plusSeconds(5), system.scheduler());
    return answer.handle(ByzantineAgreement::translate);
  }

  private static BftRunResult translate(BftRunResult result, Throwable failure) {
    if (failure == null) return result;
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof StatusReply.ErrorMessage) throw new BftRunFailedException(cause.getMessage());
    if (cause instanceof TimeoutException) throw new BftRunFailedException("run timed out: " + cause.getMessage());
    if (cause instanceof RuntimeException re) throw re;
    throw new CompletionException(cause);
  }
}
