package io.raftring.bft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One general of a run, as an actor. It owns its Ed25519 key pair (it announces only the public key), talks to the
 * other generals directly, and follows the rounds its {@link RunCoordinator} announces: on {@link StartRound} it sends
 * this round's messages and tells the coordinator how many it sent to whom; on {@link CloseRound} it waits until it
 * holds as many messages of the round as were sent to it, then handles them all at once, in a fixed order. A general
 * that receives nothing for a path simply has no entry for it, which the logic reads as RETREAT: no timers involved.
 */
public final class General extends AbstractBehavior<General.Command> {

  public interface Command extends CborSerializable {}

  /** The other generals and everybody's public key (X.509 bytes; empty for OM). */
  public record Begin(Map<Integer, ActorRef<Command>> peers, Map<Integer, byte[]> publicKeys) implements Command {}

  public record StartRound(@JsonProperty("round") int round) implements Command {
    @JsonCreator
    public StartRound {}
  }

  /** A message from another general. */
  public record Deliver(@JsonProperty("message") BftMessage message) implements Command {
    @JsonCreator
    public Deliver {}
  }

  /** Round {@code round} ends once {@code expected} messages of it have arrived here. */
  public record CloseRound(int round, int expected) implements Command {}

  public record Decide(@JsonProperty("afterRound") int afterRound) implements Command {
    @JsonCreator
    public Decide {}
  }

  public static Behavior<Command> create(
      GeneralSpec spec, KeyPair keys, SignatureScheme scheme, ActorRef<RunCoordinator.Command> coordinator) {
    return Behaviors.setup(ctx -> new General(ctx, spec, keys, scheme, coordinator));
  }

  private final GeneralSpec spec;
  private final KeyPair keys;
  private final SignatureScheme scheme;
  private final ActorRef<RunCoordinator.Command> coordinator;
  private final Map<Integer, List<BftMessage>> inbox = new HashMap<>();
  private Map<Integer, ActorRef<Command>> peers = Map.of();
  private GeneralLogic logic;
  private int closingRound = -1;
  private int expected = -1;

  private General(
      ActorContext<Command> ctx,
      GeneralSpec spec,
      KeyPair keys,
      SignatureScheme scheme,
      ActorRef<RunCoordinator.Command> coordinator) {
    super(ctx);
    this.spec = spec;
    this.keys = keys != null || spec.algorithm() == Algorithm.OM ? keys : KeyRing.newKeyPair();
    this.scheme = scheme;
    this.coordinator = coordinator;
    byte[] publicKey = this.keys == null ? new byte[0] : KeyRing.encode(this.keys.getPublic());
    coordinator.tell(new RunCoordinator.Ready(spec.id(), publicKey));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Begin.class, this::onBegin)
        .onMessage(StartRound.class, this::onStartRound)
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(CloseRound.class, this::onCloseRound)
        .onMessage(Decide.class, this::onDecide)
        .build();
  }

  private Behavior<Command> onBegin(Begin begin) {
    peers = Map.copyOf(begin.peers());
    Map<Integer, PublicKey> directory = new HashMap<>();
    if (spec.algorithm() == Algorithm.SM) {
      begin.publicKeys().forEach((id, bytes) -> directory.put(id, KeyRing.decodePublicKey(bytes)));
    }
    logic = GeneralLogic.create(spec, keys, directory, scheme);
    return this;
  }

  private Behavior<Command> onStartRound(StartRound start) {
    Map<Integer, Integer> sentTo = new TreeMap<>();
    for (BftMessage msg : logic.messagesFor(start.round())) {
      peers.get(msg.to()).tell(new Deliver(msg));
      sentTo.merge(msg.to(), 1, Integer::sum);
    }
    coordinator.tell(new RunCoordinator.RoundSent(spec.id(), start.round(), sentTo));
    return this;
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    inbox.computeIfAbsent(deliver.message().round(), r -> new ArrayList<>()).add(deliver.message());
    return closeIfComplete();
  }

  private Behavior<Command> onCloseRound(CloseRound close) {
    closingRound = close.round();
    expected = close.expected();
    return closeIfComplete();
  }

  private Behavior<Command> closeIfComplete() {
    if (closingRound < 0) return this;
    List<BftMessage> batch = inbox.getOrDefault(closingRound, List.of());
    if (batch.size() < expected) return this;
    inbox.remove(closingRound);
    List<TraceEntry> trace = logic.receive(closingRound, batch);
    int rejected = (int) trace.stream().filter(TraceEntry::rejected).count();
    coordinator.tell(new RunCoordinator.RoundClosed(spec.id(), closingRound, rejected, trace));
    closingRound = -1;
    expected = -1;
    return this;
  }

  private Behavior<Command> onDecide(Decide decide) {
    coordinator.tell(new RunCoordinator.Decided(spec.id(), logic.decision().orElse(null)));
    return this;
  }
}
