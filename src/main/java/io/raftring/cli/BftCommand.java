package io.raftring.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.bft.Algorithm;
import io.raftring.bft.BftRequestException;
import io.raftring.bft.BftRunRequest;
import io.raftring.bft.BftRunResult;
import io.raftring.bft.ByzantineAgreement;
import io.raftring.bft.Order;
import io.raftring.bft.TraceEntry;
import io.raftring.bft.TraitorStrategy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftring bft}: runs one Byzantine agreement (OM or SM) on a local ActorSystem and prints every general's
 * decision, IC1/IC2, the message and round counts and, with {@code --trace}, every message round by round. Exit code
 * 0 when it ran (whether or not IC1/IC2 held), 2 for bad arguments, 1 when the run failed.
 */
@Command(
    name = "bft",
    mixinStandardHelpOptions = true,
    description = "Run the Byzantine generals' oral-message (OM) or signed-message (SM) agreement.")
public final class BftCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--algorithm", defaultValue = "om", description = "om or sm (default: ${DEFAULT-VALUE})")
  String algorithm;

  @Option(names = "--n", defaultValue = "4", description = "number of generals, commander included (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--m", defaultValue = "1", description = "traitors to tolerate; m+1 rounds (default: ${DEFAULT-VALUE})")
  int m;

  @Option(names = "--traitors", split = ",", description = "ids of the traitors, 0 is the commander (e.g. 2,5)")
  List<Integer> traitors = new ArrayList<>();

  @Option(names = "--commander-order", defaultValue = "attack", description = "attack or retreat (default: ${DEFAULT-VALUE})")
  String commanderOrder;

  @Option(
      names = "--strategy",
      defaultValue = "always-opposite",
      description = "always-opposite, random, two-faced, silent or forging (default: ${DEFAULT-VALUE})")
  String strategy;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the random strategy (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--trace", description = "print every message, round by round")
  boolean trace;

  @Option(names = "--unsafe", description = "run OM even when n < 3m+1, to watch it fail")
  boolean unsafe;

  @Option(names = "--timeout", defaultValue = "PT30S", description = "give up after this long (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BftRunRequest request;
    try {
      request =
          new BftRunRequest(
              Algorithm.parse(algorithm),
              n,
              m,
              traitors,
              Order.parse(commanderOrder),
              TraitorStrategy.parse(strategy),
              seed,
              trace,
              unsafe);
      request.validate();
    } catch (BftRequestException e) {
      err.println("bft: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    Config config =
        ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")
            .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "raftring-bft", config);
    try {
      BftRunResult result =
          new ByzantineAgreement(system, timeout)
              .run(request)
              .toCompletableFuture()
              .get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
      print(result, out);
      return CommandLine.ExitCode.OK;
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      err.println("bft: run failed: " + (cause == null ? e : cause.getMessage()));
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    } catch (Exception e) {
      err.println("bft: run failed: " + e);
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the run is over; a slow shutdown changes nothing
      }
    }
  }

  static void print(BftRunResult r, PrintWriter out) {
    out.printf(
        "%s(%d) with n=%d generals, commander 0 orders %s, traitors %s (%s)%n",
        r.algorithm().wireName().toUpperCase(),
        r.m(),
        r.n(),
        r.commanderOrder().wireName(),
        r.traitors().isEmpty() ? "none" : r.traitors(),
        r.strategy().wireName());
    for (String w : r.warnings()) out.println("warning: " + w);
    out.println();
    out.printf("%-8s  %-10s  %-7s  %s%n", "general", "role", "loyal", "decision");
    for (BftRunResult.GeneralOutcome g : r.generals()) {
      out.printf(
          "%-8d  %-10s  %-7s  %s%n",
          g.id(), g.role(), g.loyal() ? "loyal" : "traitor", g.decision() == null ? "-" : g.decision().wireName());
    }
    out.println();
    out.println("IC1 (loyal lieutenants agree):          " + (r.ic1() ? "holds" : "VIOLATED"));
    out.println("IC2 (they follow a loyal commander):    " + (r.ic2() ? "holds" : "VIOLATED"));
    out.println(
        "messages: " + r.messages()
            + (r.expectedMessages() == null ? "" : " (closed form " + r.expectedMessages() + ")")
            + ", rejected: " + r.rejectedMessages() + ", rounds: " + r.rounds());
    if (r.trace() != null) {
      int round = 0;
      for (TraceEntry e : r.trace()) {
        if (e.round() != round) {
          round = e.round();
          out.println();
          out.println("round " + round + ":");
        }
        out.printf(
            "  %d -> %d  %-7s  path %-12s  %s%s%n",
            e.from(),
            e.to(),
            e.order().wireName(),
            pathOf(e.path()),
            e.status(),
            e.note() == null ? "" : " (" + e.note() + ")");
      }
    }
    out.flush();
  }

  private static String pathOf(List<Integer> path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      if (i > 0) sb.append('>');
      sb.append(path.get(i));
    }
    return sb.toString();
  }
}
