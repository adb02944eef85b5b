package io.raftring.bft;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One general's side of a round-synchronous protocol, with no I/O: in round r it produces the messages it sends, then
 * receives the batch that was sent to it in round r, and at the end decides. The {@link General} actor and the
 * {@link LockstepSimulation} both drive this same code.
 */
public abstract class GeneralLogic {
  protected final GeneralSpec spec;

  protected GeneralLogic(GeneralSpec spec) {
    this.spec = spec;
  }

  public static GeneralLogic create(
      GeneralSpec spec, KeyPair ownKeys, Map<Integer, PublicKey> directory, SignatureScheme scheme) {
    return switch (spec.algorithm()) {
      case OM -> new OralMessageGeneral(spec);
      case SM -> new SignedMessageGeneral(spec, ownKeys, directory, scheme);
    };
  }

  public int id() {
    return spec.id();
  }

  /** The messages this general sends in {@code round} (1-based). */
  public abstract List<BftMessage> messagesFor(int round);

  /**
   * Takes the whole batch sent to this general in {@code round}. The batch is handled in a fixed order (sender, then
   * path), whatever order it arrived in, so a run depends on its seed only.
   */
  public final List<TraceEntry> receive(int round, List<BftMessage> batch) {
    List<BftMessage> sorted = new ArrayList<>(batch);
    sorted.sort(
        Comparator.comparingInt(BftMessage::from)
            .thenComparing(BftMessage::path, Paths.COMPARATOR)
            .thenComparing(BftMessage::order));
    List<TraceEntry> out = new ArrayList<>(sorted.size());
    for (BftMessage msg : sorted) out.add(receiveOne(round, msg));
    return out;
  }

  protected abstract TraceEntry receiveOne(int round, BftMessage msg);

  /** What this general decides after the last round; empty for traitors (their decision means nothing). */
  public final Optional<Order> decision() {
    if (spec.traitor()) return Optional.empty();
    if (spec.isCommander()) return Optional.of(spec.commanderOrder());
    return Optional.of(decideAsLieutenant());
  }

  protected abstract Order decideAsLieutenant();

  protected TraceEntry accepted(int round, BftMessage msg) {
    return new TraceEntry(round, msg.from(), msg.to(), msg.order(), msg.path(), TraceEntry.ACCEPTED, null);
  }

  protected TraceEntry duplicate(int round, BftMessage msg, String note) {
    return new TraceEntry(round, msg.from(), msg.to(), msg.order(), msg.path(), TraceEntry.DUPLICATE, note);
  }

  protected TraceEntry rejected(int round, BftMessage msg, String note) {
    return new TraceEntry(round, msg.from(), msg.to(), msg.order(), msg.path(), TraceEntry.REJECTED, note);
  }
}
