package io.raftring.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteBudgetTest {

  @Test
  void reservationsUpToTheCapacityFitAndTheNextIsRefused() {
    ByteBudget budget = new ByteBudget(100);
    assertThat(budget.tryReserve(60)).isTrue();
    assertThat(budget.tryReserve(40)).isTrue();
    assertThat(budget.tryReserve(1)).isFalse();
    assertThat(budget.reserved()).isEqualTo(100);
  }

  @Test
  void releasedBytesCanBeReservedAgain() {
    ByteBudget budget = new ByteBudget(100);
    budget.tryReserve(100);
    budget.release(30);
    assertThat(budget.tryReserve(30)).isTrue();
    assertThat(budget.tryReserve(1)).isFalse();
  }

  @Test
  void aReservationLargerThanTheWholeBudgetNeverFits() {
    assertThat(new ByteBudget(100).tryReserve(101)).isFalse();
  }

  @Test
  void releasingMoreThanWasReservedIsABug() {
    ByteBudget budget = new ByteBudget(100);
    budget.tryReserve(10);
    assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class);
  }
}
