package io.raftring.bft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SM(m) with real Ed25519 signatures, run by the lockstep simulation. Reference: Lamport, Shostak, Pease (1982),
 * section 4 (Theorem 2: SM(m) solves the problem for any number of traitors, given m+1 rounds), and the seed notes'
 * "签名消息型拜占庭问题之解".
 */
class SignedMessagesTest {
  /** One key ring and one memo for all runs: Ed25519 is deterministic, so replays cost no new signatures. */
  private static KeyRing keys;
  private static SignatureScheme scheme;

  @BeforeAll
  static void keys() {
    keys = KeyRing.generate(7);
    scheme = new MemoizingSignatures(Ed25519Signatures.INSTANCE);
  }

  private static BftRunResult run(BftRunRequest req) {
    return LockstepSimulation.run(req, keys, scheme);
  }

  private static BftRunRequest sm(int n, int m, List<Integer> traitors, TraitorStrategy s, Order order) {
    return BftRunRequest.of(Algorithm.SM, n, m, traitors, order, s);
  }

  @Test
  void threeGeneralsWithOneTraitorAgreeWithSignatures() {
    for (int traitor = 0; traitor < 3; traitor++) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        for (Order o : Order.values()) {
          BftRunRequest req = sm(3, 1, List.of(traitor), s, o);
          BftRunResult r = run(req);
          assertThat(r.ic1()).as("IC1 " + Scenarios.describe(req)).isTrue();
          assertThat(r.ic2()).as("IC2 " + Scenarios.describe(req)).isTrue();
        }
      }
    }
  }

  @Test
  void aLieutenantThatTampersWithTheCommandersOrderIsCaught() {
    // The seed's case: loyal 齐 (0) orders attack, traitor 楚 (1) changes it; 燕 (2) rejects it and attacks.
    BftRunResult r = run(sm(3, 1, List.of(1), TraitorStrategy.ALWAYS_OPPOSITE, Order.ATTACK).withTrace(true));
    assertThat(r.decisionOf(2)).isEqualTo(Order.ATTACK);
    assertThat(r.rejectedMessages()).isEqualTo(1);
    assertThat(r.trace()).filteredOn(TraceEntry::rejected)
        .singleElement()
        .satisfies(e -> assertThat(e.note()).isEqualTo("bad signature of general 0"));
  }

  @Test
  void aTwoFacedCommanderIsExposedAndTheLoyalLieutenantsRetreatTogether() {
    // The seed's second case: traitor commander 楚 sends attack to one and retreat to the other.
    BftRunResult r = run(sm(3, 1, List.of(0), TraitorStrategy.TWO_FACED, Order.ATTACK));
    assertThat(r.decisionOf(1)).isEqualTo(r.decisionOf(2)).isEqualTo(Order.RETREAT);
    assertThat(r.ic1()).isTrue();
  }

  @Test
  void forgedAndTamperedOrdersAreAllRejected() {
    BftRunResult r = run(sm(4, 1, List.of(2), TraitorStrategy.FORGING, Order.RETREAT).withTrace(true));
    assertThat(r.trace()).filteredOn(e -> e.from() == 2).isNotEmpty().allMatch(TraceEntry::rejected);
    assertThat(r.trace()).filteredOn(e -> e.from() != 2).noneMatch(TraceEntry::rejected);
    assertThat(r.ic1() && r.ic2()).isTrue();

    BftRunResult commander = run(sm(4, 1, List.of(0), TraitorStrategy.FORGING, Order.ATTACK).withTrace(true));
    assertThat(commander.trace()).filteredOn(e -> e.round() == 1 && e.to() % 2 == 1).allMatch(TraceEntry::rejected);
    assertThat(commander.ic1()).isTrue();
  }

  @Test
  void everyTraitorSetUpToMAndEveryStrategyAgreesForAnyMBelowN() {
    int runs = 0;
    for (int n = 2; n <= 7; n++) {
      for (int m = 0; m < n; m++) {
        for (List<Integer> traitors : Scenarios.traitorSets(n, m)) {
          for (TraitorStrategy s : traitors.isEmpty() ? List.of(TraitorStrategy.SILENT) : List.of(TraitorStrategy.values())) {
            for (Order o : Order.values()) {
              BftRunRequest req = sm(n, m, traitors, s, o);
              BftRunResult r = run(req);
              assertThat(r.ic1()).as("IC1 " + Scenarios.describe(req)).isTrue();
              assertThat(r.ic2()).as("IC2 " + Scenarios.describe(req)).isTrue();
              assertThat(r.messages()).isLessThanOrEqualTo(MessageCounts.smUpperBound(n, m));
              runs++;
            }
          }
        }
      }
    }
    assertThat(runs).isGreaterThan(5000);
  }

  @Test
  void tooFewRoundsLetATwoFacedPairSplitTheLoyal() {
    // SM(0) with a two-faced commander: one round, no relays, so IC1 fails; SM(1) repairs it.
    assertThat(run(sm(3, 0, List.of(0), TraitorStrategy.TWO_FACED, Order.ATTACK)).ic1()).isFalse();
    assertThat(run(sm(3, 1, List.of(0), TraitorStrategy.TWO_FACED, Order.ATTACK)).ic1()).isTrue();
  }
}
