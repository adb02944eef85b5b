package io.raftring.bft;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A general in SM(m). In round 1 the commander signs its order and sends it to every lieutenant. A lieutenant accepts
 * an order received in round r only if its chain has exactly r valid signatures, starts with the commander, ends with
 * the sender and does not contain the lieutenant itself. An accepted order it did not have yet goes into its set V,
 * and in round r+1 (while r <= m) it relays the order with its own signature appended to every lieutenant not yet in
 * the chain. After round m+1 it decides {@link ChoiceFunction#choose(Set)} over V.
 */
public final class SignedMessageGeneral extends GeneralLogic {
  private final KeyPair keys;
  private final Map<Integer, PublicKey> directory;
  private final SignatureScheme scheme;
  private final Set<Order> accepted = EnumSet.noneOf(Order.class);
  /** Orders that became new to V in the last round and are relayed in this one. */
  private List<SignedOrder> toRelay = new ArrayList<>();

  SignedMessageGeneral(GeneralSpec spec, KeyPair keys, Map<Integer, PublicKey> directory, SignatureScheme scheme) {
    super(spec);
    this.keys = keys;
    this.directory = Map.copyOf(directory);
    this.scheme = scheme;
  }

  @Override
  public List<BftMessage> messagesFor(int round) {
    List<BftMessage> out = new ArrayList<>();
    if (round > spec.m() + 1) return out;
    if (spec.isCommander()) {
      if (round == 1) issue(out);
      return out;
    }
    List<SignedOrder> relaying = toRelay;
    toRelay = new ArrayList<>();
    if (round == 1) return out;
    for (SignedOrder s : relaying) {
      for (int q = 0; q < spec.n(); q++) {
        if (q != spec.commander() && q != spec.id() && !s.signers().contains(q)) relay(out, round, s, q);
      }
    }
    if (spec.traitor() && spec.strategy() == TraitorStrategy.FORGING && round == 2) invent(out, round);
    return out;
  }

  private void issue(List<BftMessage> out) {
    Order order = spec.commanderOrder();
    for (int q = 0; q < spec.n(); q++) {
      if (q == spec.id()) continue;
      SignedOrder signed = null;
      if (!spec.traitor()) {
        signed = sign(order);
      } else {
        switch (spec.strategy()) {
          case ALWAYS_OPPOSITE -> signed = sign(order.opposite());
          case RANDOM -> signed = sign(Lies.randomOrder(spec.seed(), spec.id(), q, List.of()));
          case TWO_FACED -> signed = sign(Lies.evenReceiver(q) ? order : order.opposite());
          case SILENT -> signed = null;
          case FORGING -> signed = Lies.evenReceiver(q) ? sign(order) : sign(order).withOrder(order.opposite());
        }
      }
      if (signed != null) out.add(BftMessage.signed(1, spec.id(), q, signed));
    }
  }

  private SignedOrder sign(Order order) {
    return SignedOrder.issue(spec.runId(), order, spec.id(), keys.getPrivate(), scheme);
  }

  private void relay(List<BftMessage> out, int round, SignedOrder s, int to) {
    SignedOrder sent;
    if (!spec.traitor()) {
      sent = countersign(s);
    } else {
      sent = switch (spec.strategy()) {
        case ALWAYS_OPPOSITE, FORGING -> countersign(s.withOrder(s.order().opposite()));
        case RANDOM -> countersign(s.withOrder(Lies.randomOrder(spec.seed(), spec.id(), to, s.signers())));
        case TWO_FACED -> (s.order() == Order.ATTACK) == Lies.evenReceiver(to) ? countersign(s) : null;
        case SILENT -> null;
      };
    }
    if (sent != null) out.add(BftMessage.signed(round, spec.id(), to, sent));
  }

  private SignedOrder countersign(SignedOrder s) {
    return s.append(spec.runId(), spec.id(), keys.getPrivate(), scheme);
  }

  /** A forging traitor invents an order in the commander's name, "signed" with its own key. */
  private void invent(List<BftMessage> out, int round) {
    Order claimed = accepted.size() == 1 ? accepted.iterator().next().opposite() : Order.ATTACK;
    SignedOrder forged =
        new SignedOrder(claimed, List.of(), List.of())
            .append(spec.runId(), spec.commander(), keys.getPrivate(), scheme)
            .append(spec.runId(), spec.id(), keys.getPrivate(), scheme);
    for (int q = 0; q < spec.n(); q++) {
      if (q != spec.commander() && q != spec.id()) out.add(BftMessage.signed(round, spec.id(), q, forged));
    }
  }

  @Override
  protected TraceEntry receiveOne(int round, BftMessage msg) {
    SignedOrder s = msg.signedOrder();
    if (s.signers().size() != round) {
      return rejected(round, msg, s.signers().size() + " signatures in round " + round);
    }
    if (s.lastSigner() != msg.from()) {
      return rejected(round, msg, "last signer " + s.lastSigner() + " is not the sender " + msg.from());
    }
    if (s.signers().contains(spec.id())) return rejected(round, msg, "already signed by the receiver");
    Optional<String> invalid = s.verify(spec.runId(), spec.commander(), directory, scheme);
    if (invalid.isPresent()) return rejected(round, msg, invalid.get());
    if (!accepted.add(s.order())) return duplicate(round, msg, "already had " + s.order().wireName());
    if (round <= spec.m()) toRelay.add(s);
    return accepted(round, msg);
  }

  @Override
  protected Order decideAsLieutenant() {
    return ChoiceFunction.choose(accepted);
  }

  /** The set V (for tests). */
  Set<Order> acceptedOrders() {
    return EnumSet.copyOf(accepted.isEmpty() ? EnumSet.noneOf(Order.class) : accepted);
  }
}
