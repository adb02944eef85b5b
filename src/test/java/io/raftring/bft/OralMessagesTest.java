package io.raftring.bft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OM(m), run by the lockstep simulation over the same logic the actors use. Reference: Lamport, Shostak, Pease,
 * "The Byzantine Generals Problem" (1982), section 3 (Theorem 1, and the impossibility of three generals with one
 * traitor), and the seed notes' "二忠一叛" (two loyal, one traitor) example.
 */
class OralMessagesTest {

  private static BftRunRequest om(int n, int m, List<Integer> traitors, TraitorStrategy s, Order order) {
    return BftRunRequest.of(Algorithm.OM, n, m, traitors, order, s).withUnsafe(n < 3 * m + 1);
  }

  @Test
  void threeGeneralsWithOneTraitorCanLeaveTheLoyalOnesDisagreeing() {
    // The seed's example: the loyal commander attacks, traitor 2 tells lieutenant 1 "retreat".
    BftRunResult r = LockstepSimulation.run(om(3, 1, List.of(2), TraitorStrategy.ALWAYS_OPPOSITE, Order.ATTACK));
    assertThat(r.decisionOf(0)).isEqualTo(Order.ATTACK);
    assertThat(r.decisionOf(1)).isEqualTo(Order.RETREAT);
    assertThat(r.loyalGeneralsAgree()).isFalse();
    assertThat(r.ic2()).isFalse();
    assertThat(r.warnings()).anyMatch(w -> w.contains("3m+1"));
  }

  @Test
  void threeGeneralsWithOneTraitorHaveAFailingRunAmongAllCases() {
    List<String> failing = new ArrayList<>();
    for (int traitor = 0; traitor < 3; traitor++) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        for (Order o : Order.values()) {
          BftRunRequest req = om(3, 1, List.of(traitor), s, o);
          BftRunResult r = LockstepSimulation.run(req);
          if (!r.ic1() || !r.ic2()) failing.add(Scenarios.describe(req));
        }
      }
    }
    assertThat(failing).isNotEmpty();
  }

  @Test
  void fourGeneralsWithAnyOneTraitorAgree() {
    for (int traitor = 0; traitor < 4; traitor++) {
      for (TraitorStrategy s : TraitorStrategy.values()) {
        for (Order o : Order.values()) {
          BftRunRequest req = om(4, 1, List.of(traitor), s, o);
          BftRunResult r = LockstepSimulation.run(req);
          assertThat(r.ic1()).as("IC1 " + Scenarios.describe(req)).isTrue();
          assertThat(r.ic2()).as("IC2 " + Scenarios.describe(req)).isTrue();
        }
      }
    }
  }

  @Test
  void theSeedsFourGeneralExamplesDecideAsDescribed() {
    // Loyal commander (苏秦) attacks, lieutenant 2 (楚) always lies: everyone loyal attacks.
    BftRunResult loyalCommander =
        LockstepSimulation.run(om(4, 1, List.of(2), TraitorStrategy.ALWAYS_OPPOSITE, Order.ATTACK));
    assertThat(List.of(loyalCommander.decisionOf(0), loyalCommander.decisionOf(1), loyalCommander.decisionOf(3)))
        .containsOnly(Order.ATTACK);
    // A two-faced commander: the loyal lieutenants still agree.
    BftRunResult traitorCommander =
        LockstepSimulation.run(om(4, 1, List.of(0), TraitorStrategy.TWO_FACED, Order.ATTACK));
    assertThat(traitorCommander.ic1()).isTrue();
  }

  @Test
  void everyTraitorSetUpToMAndEveryStrategyAgreesWhenNIsAtLeast3mPlus1() {
    int runs = 0;
    for (int n = 2; n <= 7; n++) {
      for (int m = 0; 3 * m + 1 <= n; m++) {
        for (List<Integer> traitors : Scenarios.traitorSets(n, m)) {
          for (TraitorStrategy s : TraitorStrategy.values()) {
            for (Order o : Order.values()) {
              BftRunRequest req = om(n, m, traitors, s, o);
              BftRunResult r = LockstepSimulation.run(req);
              assertThat(r.ic1()).as("IC1 " + Scenarios.describe(req)).isTrue();
              assertThat(r.ic2()).as("IC2 " + Scenarios.describe(req)).isTrue();
              runs++;
            }
          }
        }
      }
    }
    assertThat(runs).isGreaterThan(500);
  }

  @Test
  void messageCountsEqualTheClosedFormWheneverEveryoneSpeaks() {
    for (int n = 2; n <= 7; n++) {
      for (int m = 0; m < n; m++) {
        for (TraitorStrategy s : List.of(TraitorStrategy.ALWAYS_OPPOSITE, TraitorStrategy.TWO_FACED,
            TraitorStrategy.RANDOM, TraitorStrategy.FORGING)) {
          BftRunRequest req = om(n, m, n > 2 ? List.of(n - 1) : List.of(), s, Order.ATTACK);
          BftRunResult r = LockstepSimulation.run(req);
          long closedForm = 0;
          long perRound = 1;
          for (int k = 1; k <= m + 1; k++) {
            perRound *= Math.max(0, n - k);
            closedForm += perRound;
          }
          assertThat(r.messages()).as(Scenarios.describe(req)).isEqualTo(closedForm);
          assertThat(r.expectedMessages()).isEqualTo(closedForm);
          assertThat(r.rounds()).isEqualTo(m + 1);
        }
      }
    }
  }

  @Test
  void aSilentTraitorSendsNothingAndItsListenersDefaultToRetreat() {
    BftRunResult r = LockstepSimulation.run(om(4, 1, List.of(0), TraitorStrategy.SILENT, Order.ATTACK));
    assertThat(r.messages()).isEqualTo(3 * 2); // only the relays of round 2
    assertThat(List.of(r.decisionOf(1), r.decisionOf(2), r.decisionOf(3))).containsOnly(Order.RETREAT);
  }

  @Test
  void forgedOralMessagesAreDroppedBecauseTheReceiverKnowsTheSender() {
    BftRunResult r =
        LockstepSimulation.run(om(4, 1, List.of(2), TraitorStrategy.FORGING, Order.ATTACK).withTrace(true));
    assertThat(r.rejectedMessages()).isEqualTo(2);
    assertThat(r.trace()).filteredOn(TraceEntry::rejected).allMatch(e -> e.from() == 2 && e.note().contains("claims"));
    assertThat(r.ic1() && r.ic2()).isTrue();
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    BftRunRequest req = om(7, 2, List.of(2, 5), TraitorStrategy.RANDOM, Order.ATTACK).withTrace(true);
    assertThat(LockstepSimulation.run(req)).isEqualTo(LockstepSimulation.run(req));
  }
}
