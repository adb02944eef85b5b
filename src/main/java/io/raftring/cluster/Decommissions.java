package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.ddata.ORSet;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.ORSetKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The nodes an operator asked to decommission, replicated to every node with Akka Distributed Data, so the intent
 * outlives the node whose placement driver was working on it (the singleton moves when its node goes). Writes go to a
 * majority of nodes before they are confirmed. The set is kept in memory only: if every node restarts before a
 * decommission finished, the request has to be made again.
 */
public final class Decommissions {

  private static final Key<ORSet<String>> KEY = ORSetKey.create("raftring-decommissioned-nodes");

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;

  public Decommissions(ActorSystem<?> system) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
  }

  /** Adds {@code node}; completes with the whole set once a majority of nodes has it. */
  public CompletionStage<Set<String>> add(String node, Duration timeout) {
    return update(set -> set.add(self, node), timeout);
  }

  /** Takes {@code node} out again (the decommission is cancelled; the ring places replicas on it again). */
  public CompletionStage<Set<String>> remove(String node, Duration timeout) {
    return update(set -> set.remove(self, node), timeout);
  }

  /** The set as this node has it now. */
  public CompletionStage<Set<String>> read(Duration timeout) {
    return Asks.<Replicator.Command, Replicator.GetResponse<ORSet<String>>>ask(replicator,
            replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo), timeout, system)
        .thenApply(response -> response instanceof Replicator.GetSuccess<ORSet<String>> found
            ? Set.copyOf(new TreeSet<>(found.get(KEY).getElements()))
            : Set.of());
  }

  private CompletionStage<Set<String>> update(Function<ORSet<String>, ORSet<String>> modify, Duration timeout) {
    return Asks.<Replicator.Command, Replicator.UpdateResponse<ORSet<String>>>ask(replicator,
            replyTo -> new Replicator.Update<>(KEY, ORSet.empty(), new Replicator.WriteMajority(timeout), replyTo,
                modify::apply),
            timeout.plusSeconds(1), system)
        .thenCompose(response -> {
          if (response instanceof Replicator.UpdateSuccess<ORSet<String>>) {
            return read(timeout);
          }
          throw new RaftRingException(ErrorCode.NO_QUORUM,
              "a majority of nodes did not confirm the change of the decommissioned nodes in time (" + response
                  + "); it may still spread to them");
        });
  }
}
