package io.raftring.bft;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the same {@link GeneralLogic} as the actors, in one thread, round by round. The actors are the product; this
 * is the reference they are checked against and the engine for exhaustive checks over thousands of runs.
 */
public final class LockstepSimulation {
  private LockstepSimulation() {}

  /** Runs with fresh Ed25519 keys. */
  public static BftRunResult run(BftRunRequest request) {
    KeyRing keys = request.algorithm() == Algorithm.SM ? KeyRing.generate(request.n()) : null;
    return run(request, keys, Ed25519Signatures.INSTANCE);
  }

  /** Runs with the given keys (at least n of them; may be null for OM) and signature scheme. */
  public static BftRunResult run(BftRunRequest request, KeyRing keys, SignatureScheme scheme) {
    List<String> warnings = request.validate();
    int n = request.n();
    Map<Integer, PublicKey> directory = new HashMap<>();
    if (keys != null) for (int id = 0; id < n; id++) directory.put(id, keys.pairOf(id).getPublic());
    List<GeneralLogic> generals = new ArrayList<>(n);
    for (int id = 0; id < n; id++) {
      KeyPair own = keys == null ? null : keys.pairOf(id);
      generals.add(GeneralLogic.create(specOf(request, id), own, directory, scheme));
    }
    long messages = 0;
    long rejected = 0;
    List<TraceEntry> trace = new ArrayList<>();
    for (int round = 1; round <= request.rounds(); round++) {
      Map<Integer, List<BftMessage>> inbox = new HashMap<>();
      for (GeneralLogic g : generals) {
        for (BftMessage msg : g.messagesFor(round)) {
          inbox.computeIfAbsent(msg.to(), k -> new ArrayList<>()).add(msg);
          messages++;
        }
      }
      for (GeneralLogic g : generals) {
        for (TraceEntry e : g.receive(round, inbox.getOrDefault(g.id(), List.of()))) {
          if (e.rejected()) rejected++;
          if (request.trace()) trace.add(e);
        }
      }
    }
    Map<Integer, Order> decisions = new HashMap<>();
    for (GeneralLogic g : generals) g.decision().ifPresent(d -> decisions.put(g.id(), d));
    return BftRunResult.assemble(request, warnings, decisions, messages, rejected, trace);
  }

  /** The spec of general {@code id} in {@code request}. */
  public static GeneralSpec specOf(BftRunRequest request, int id) {
    return new GeneralSpec(
        id,
        request.n(),
        request.m(),
        request.algorithm(),
        BftRunRequest.COMMANDER,
        request.commanderOrder(),
        request.isTraitor(id),
        request.strategy(),
        request.seed());
  }
}
