package io.raftring.dashboard;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.receptionist.Receptionist;
import io.raftring.cluster.Asks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The request series of every node in the cluster: this node's own agent ({@link NodeRequestStats}), started once per
 * actor system, and a gathering of all agents the receptionist knows. A node that does not answer in time is left
 * out; the caller compares the answer with the nodes it expected.
 */
public final class ClusterRequestStats implements Extension {

  public static final ExtensionId<ClusterRequestStats> ID = new ExtensionId<>() {
    @Override
    public ClusterRequestStats createExtension(ActorSystem<?> system) {
      return new ClusterRequestStats(system);
    }
  };

  public static ClusterRequestStats get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private final ActorSystem<?> system;
  private ActorRef<NodeRequestStats.Command> local;

  private ClusterRequestStats(ActorSystem<?> system) {
    this.system = system;
  }

  /** Starts this node's agent reading {@code totals}; the first call decides, later ones change nothing. */
  public synchronized void startLocal(String node, Supplier<RequestTotals> totals) {
    if (local == null) {
      local = system.systemActorOf(NodeRequestStats.create(node, totals, System::currentTimeMillis),
          "raftring-request-stats", Props.empty());
    }
  }

  /** Each answering node's samples ending after {@code sinceEpochSecond}, by node name, within {@code timeout}. */
  public CompletionStage<Map<String, List<RequestSample>>> gather(long sinceEpochSecond, Duration timeout) {
    return Asks.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            replyTo -> Receptionist.find(NodeRequestStats.KEY, replyTo), timeout, system)
        .thenCompose(listing -> {
          List<CompletableFuture<NodeRequestStats.Samples>> answers = new ArrayList<>();
          for (ActorRef<NodeRequestStats.Command> agent : listing.getServiceInstances(NodeRequestStats.KEY)) {
            answers.add(Asks.<NodeRequestStats.Command, NodeRequestStats.Samples>ask(agent,
                    replyTo -> new NodeRequestStats.GetSamples(sinceEpochSecond, replyTo), timeout, system)
                .exceptionally(e -> null));
          }
          return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, List<RequestSample>> byNode = new TreeMap<>();
            for (CompletableFuture<NodeRequestStats.Samples> answer : answers) {
              NodeRequestStats.Samples samples = answer.join();
              if (samples != null) {
                byNode.put(samples.node(), samples.samples());
              }
            }
            return byNode;
          });
        });
  }
}
