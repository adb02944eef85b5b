package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.raftring.CborSerializable;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one run: every general's decision, whether IC1 and IC2 held, how many messages and rounds it took and,
 * if asked for, the trace of every delivered message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BftRunResult(
    @JsonProperty("algorithm") Algorithm algorithm,
    @JsonProperty("n") int n,
    @JsonProperty("m") int m,
    @JsonProperty("commander") int commander,
    @JsonProperty("commander_order") Order commanderOrder,
    @JsonProperty("traitors") List<Integer> traitors,
    @JsonProperty("strategy") TraitorStrategy strategy,
    @JsonProperty("seed") long seed,
    @JsonProperty("generals") List<GeneralOutcome> generals,
    @JsonProperty("ic1") boolean ic1,
    @JsonProperty("ic2") boolean ic2,
    @JsonProperty("messages") long messages,
    @JsonProperty("expected_messages") Long expectedMessages,
    @JsonProperty("rejected_messages") long rejectedMessages,
    @JsonProperty("rounds") int rounds,
    @JsonProperty("warnings") List<String> warnings,
    @JsonProperty("trace") List<TraceEntry> trace)
    implements CborSerializable {

  @JsonCreator
  public BftRunResult {}

  /**
   * One general's part. {@code decision} is null for traitors. A loyal commander "decides" the order it gave.
   */
  public record GeneralOutcome(
      @JsonProperty("id") int id,
      @JsonProperty("role") String role,
      @JsonProperty("loyal") boolean loyal,
      @JsonProperty("decision") Order decision) {
    @JsonCreator
    public GeneralOutcome {}
  }

  public static BftRunResult assemble(
      BftRunRequest request,
      List<String> warnings,
      Map<Integer, Order> decisions,
      long messages,
      long rejected,
      List<TraceEntry> trace) {
    Set<Integer> traitors = request.traitorSet();
    List<GeneralOutcome> generals = new ArrayList<>();
    Map<Integer, Order> lieutenants = new HashMap<>();
    for (int id = 0; id < request.n(); id++) {
      boolean loyal = !traitors.contains(id);
      Order d = loyal ? decisions.get(id) : null;
      generals.add(
          new GeneralOutcome(id, id == BftRunRequest.COMMANDER ? "commander" : "lieutenant", loyal, d));
      if (id != BftRunRequest.COMMANDER) lieutenants.put(id, d);
    }
    InteractiveConsistency ic =
        InteractiveConsistency.evaluate(BftRunRequest.COMMANDER, request.commanderOrder(), traitors, lieutenants);
    List<TraceEntry> sortedTrace = null;
    if (request.trace()) {
      sortedTrace = new ArrayList<>(trace);
      sortedTrace.sort(TraceEntry.ORDER);
    }
    return new BftRunResult(
        request.algorithm(),
        request.n(),
        request.m(),
        BftRunRequest.COMMANDER,
        request.commanderOrder(),
        List.copyOf(traitors),
        request.strategy(),
        request.seed(),
        List.copyOf(generals),
        ic.ic1(),
        ic.ic2(),
        messages,
        request.algorithm() == Algorithm.OM ? MessageCounts.omTotal(request.n(), request.m()) : null,
        rejected,
        request.rounds(),
        List.copyOf(warnings),
        sortedTrace == null ? null : List.copyOf(sortedTrace));
  }

  /** The decision of general {@code id} (null for a traitor). */
  public Order decisionOf(int id) {
    return generals.get(id).decision();
  }

  /** True when every loyal general, a loyal commander included, ends with the same order. */
  public boolean loyalGeneralsAgree() {
    return generals.stream().filter(GeneralOutcome::loyal).map(GeneralOutcome::decision).distinct().count() <= 1;
  }
}
