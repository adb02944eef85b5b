package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.raftring.raft.Peers;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.ReplicaId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the other replicas of a group anywhere in the Akka cluster through the Receptionist: each replica registers
 * under a key naming its group and node, and a small directory actor beside it follows the keys of its peers.
 *
 * <p>A node that restarted may briefly be listed twice (its old incarnation until the cluster removes it); messages
 * go to every listed reference, and the dead one drops them, which Raft tolerates like any lost message.
 */
public final class ReceptionistPeers {

  private ReceptionistPeers() {}

  /** The receptionist key of one replica. */
  public static ServiceKey<RaftReplica.Command> key(ReplicaId id) {
    return ServiceKey.create(RaftReplica.Command.class, id.persistenceId());
  }

  /** A peers factory for {@link RaftReplica#create}: registers the replica and follows its group's other members. */
  public static Function<ActorContext<RaftReplica.Command>, Peers> forGroup(ReplicaId self, Set<String> members) {
    return ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(key(self), ctx.getSelf()));
      ActorRef<Directory.Message> directory = ctx.spawn(Directory.create(self, members), "peers");
      return (node, message) -> directory.tell(new Directory.Deliver(node, message));
    };
  }

  /** Keeps the current references of each peer node and forwards messages to them. */
  static final class Directory {

    interface Message {}

    record Deliver(String node, RaftReplica.Command message) implements Message {}

    record Listed(String node, Set<ActorRef<RaftReplica.Command>> refs) implements Message {}

    static Behavior<Message> create(ReplicaId self, Set<String> members) {
      return Behaviors.setup(ctx -> {
        // One adapter serves every subscription (an actor has one adapter per message class), so each listing is
        // told apart by its key.
        Map<String, String> nodeOfKey = new HashMap<>();
        for (String node : members) {
          if (!node.equals(self.node())) {
            nodeOfKey.put(key(new ReplicaId(self.group(), node)).id(), node);
          }
        }
        ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class, listing -> {
          @SuppressWarnings("unchecked")
          ServiceKey<RaftReplica.Command> key = (ServiceKey<RaftReplica.Command>) listing.getKey();
          return new Listed(nodeOfKey.get(key.id()), listing.getServiceInstances(key));
        });
        for (String node : nodeOfKey.values()) {
          ctx.getSystem().receptionist().tell(
              Receptionist.subscribe(key(new ReplicaId(self.group(), node)), adapter));
        }
        return running(new HashMap<>());
      });
    }

    private static Behavior<Message> running(Map<String, Set<ActorRef<RaftReplica.Command>>> refs) {
      return Behaviors.receive(Message.class)
          .onMessage(Deliver.class, d -> {
            for (ActorRef<RaftReplica.Command> ref : refs.getOrDefault(d.node(), Set.of())) {
              ref.tell(d.message());
            }
            return Behaviors.same();
          })
          .onMessage(Listed.class, l -> {
            refs.put(l.node(), Set.copyOf(l.refs()));
            return Behaviors.same();
          })
          .build();
    }
  }
}
