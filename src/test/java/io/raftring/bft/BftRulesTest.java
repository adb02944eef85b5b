package io.raftring.bft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BftRulesTest {
  private static final Order A = Order.ATTACK;
  private static final Order R = Order.RETREAT;

  @Test
  void majorityTakesTheMoreFrequentOrderAndTiesRetreat() {
    assertThat(Majority.of(List.of(A, A, R))).isEqualTo(A);
    assertThat(Majority.of(List.of(A, R, R))).isEqualTo(R);
    assertThat(Majority.of(List.of(A, R))).isEqualTo(R);
    assertThat(Majority.of(List.of())).isEqualTo(R);
    assertThat(Majority.of(List.of(A))).isEqualTo(A);
  }

  @Test
  void choiceFunctionRetreatsOnEmptyFollowsSingletonAndRetreatsOnConflict() {
    assertThat(ChoiceFunction.choose(EnumSet.noneOf(Order.class))).isEqualTo(R);
    assertThat(ChoiceFunction.choose(EnumSet.of(A))).isEqualTo(A);
    assertThat(ChoiceFunction.choose(EnumSet.of(R))).isEqualTo(R);
    assertThat(ChoiceFunction.choose(EnumSet.of(A, R))).isEqualTo(R);
  }

  @Test
  void omMessageCountFollowsTheClosedForm() {
    assertThat(MessageCounts.omTotal(4, 1)).isEqualTo(3 + 3 * 2);
    assertThat(MessageCounts.omTotal(7, 2)).isEqualTo(6 + 6 * 5 + 6 * 5 * 4);
    assertThat(MessageCounts.omTotal(3, 0)).isEqualTo(2);
    assertThat(MessageCounts.omTotal(3, 2)).isEqualTo(2 + 2); // round 3 would need a third lieutenant
    assertThat(MessageCounts.omTotal(64, 63)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void ic1AndIc2AreJudgedOnLoyalLieutenantsOnly() {
    // loyal commander attacks; lieutenant 2 is a traitor and "decides" nothing
    assertThat(InteractiveConsistency.evaluate(0, A, Set.of(2), Map.of(1, A, 3, A)))
        .isEqualTo(new InteractiveConsistency(true, true));
    assertThat(InteractiveConsistency.evaluate(0, A, Set.of(2), Map.of(1, R, 3, R)))
        .isEqualTo(new InteractiveConsistency(true, false));
    assertThat(InteractiveConsistency.evaluate(0, A, Set.of(2), Map.of(1, A, 3, R)))
        .isEqualTo(new InteractiveConsistency(false, false));
    // traitor commander: IC2 holds vacuously, IC1 still required
    assertThat(InteractiveConsistency.evaluate(0, A, Set.of(0), Map.of(1, R, 2, R)))
        .isEqualTo(new InteractiveConsistency(true, true));
    assertThat(InteractiveConsistency.evaluate(0, A, Set.of(0), Map.of(1, A, 2, R)))
        .isEqualTo(new InteractiveConsistency(false, true));
  }

  @Test
  void requestsSayWhatIsWrong() {
    assertThatThrownBy(() -> om(1, 0, List.of()).validate()).hasMessage("n must be at least 2");
    assertThatThrownBy(() -> om(4, -1, List.of()).validate()).hasMessage("m must be at least 0");
    assertThatThrownBy(() -> om(4, 4, List.of()).validate()).hasMessageContaining("m must be less than n");
    assertThatThrownBy(() -> om(4, 1, List.of(4)).validate())
        .isInstanceOf(BftRequestException.class)
        .hasMessageContaining("traitor id 4 is out of range 0..3");
    assertThatThrownBy(() -> om(4, 1, List.of(-1)).validate()).hasMessageContaining("out of range");
    assertThatThrownBy(() -> om(4, 1, List.of(2, 2)).validate()).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> om(3, 1, List.of()).validate())
        .hasMessageContaining("OM(1) needs n >= 3m+1 = 4")
        .hasMessageContaining("unsafe");
    assertThatThrownBy(() -> om(30, 5, List.of()).validate()).hasMessageContaining("limit is 250000");
    assertThatThrownBy(() -> BftRunRequest.of(Algorithm.SM, 40, 39, List.of(), A, TraitorStrategy.SILENT).validate())
        .hasMessageContaining("signature checks");
    // Issue 14: SM with n=64, m=3 cost about 22 CPU-seconds, and OM with n=40, m=3 about as much.
    assertThatThrownBy(() -> BftRunRequest.of(Algorithm.SM, 64, 3, List.of(), A, TraitorStrategy.SILENT).validate())
        .hasMessageContaining("the limit is 3000");
    assertThatThrownBy(() -> om(40, 3, List.of()).validate()).hasMessageContaining("limit is 250000");
    assertThatThrownBy(() -> om(13, 4, List.of()).withTrace(true).validate()).hasMessageContaining("trace");
    assertThatThrownBy(() -> TraitorStrategy.parse("sneaky")).hasMessageContaining("two-faced");
    assertThatThrownBy(() -> Algorithm.parse("pbft")).hasMessageContaining("om or sm");
    assertThatThrownBy(() -> Order.parse("charge")).hasMessageContaining("attack or retreat");
  }

  @Test
  void unsafeOmRunsButWarns() {
    assertThat(om(3, 1, List.of(2)).withUnsafe(true).validate()).anyMatch(w -> w.contains("3m+1"));
    assertThat(om(4, 1, List.of(1, 2)).validate()).anyMatch(w -> w.contains("only tolerates up to m"));
    assertThat(om(4, 1, List.of(1)).validate()).isEmpty();
  }

  @Test
  void strategiesParseTheirWireNames() {
    for (TraitorStrategy s : TraitorStrategy.values()) assertThat(TraitorStrategy.parse(s.wireName())).isEqualTo(s);
    assertThat(TraitorStrategy.parse("TWO_FACED")).isEqualTo(TraitorStrategy.TWO_FACED);
  }

  private static BftRunRequest om(int n, int m, List<Integer> traitors) {
    return BftRunRequest.of(Algorithm.OM, n, m, traitors, A, TraitorStrategy.ALWAYS_OPPOSITE);
  }
}
