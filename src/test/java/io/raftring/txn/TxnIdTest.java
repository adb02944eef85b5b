package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TxnIdTest {

  @Test
  void anIdReadsBackFromItsTextEvenWithDashesInTheNodeName() {
    TxnId id = new TxnId("g3", 1_718_000_000_000L, 42, 1, "node-a-1");
    assertThat(id.toString()).isEqualTo("g3-1718000000000-42-1-node-a-1");
    assertThat(TxnId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void ageIsStartTimeThenNodeThenSequenceAndARetryKeepsIt() {
    TxnId first = new TxnId("g1", 1000, 5, 0, "n2");
    TxnId later = new TxnId("g0", 1001, 1, 0, "n1");
    TxnId sameTimeOtherNode = new TxnId("g0", 1000, 1, 0, "n3");
    assertThat(first.isOlderThan(later)).isTrue();
    assertThat(first.isOlderThan(sameTimeOtherNode)).isTrue();
    assertThat(first.nextAttempt().isOlderThan(later)).isTrue();
    assertThat(first.nextAttempt().sameTransactionAs(first)).isTrue();
    assertThat(first.nextAttempt()).isNotEqualTo(first);
  }

  @Test
  void textThatIsNotAnIdIsRefusedSayingWhy() {
    assertThatThrownBy(() -> TxnId.parse("g1-12")).hasMessageContaining("not a transaction id");
    assertThatThrownBy(() -> TxnId.parse("g1-x-1-0-n1")).hasMessageContaining("not a transaction id");
    assertThatThrownBy(() -> TxnId.parse("g1-1-1-0-")).isInstanceOf(IllegalArgumentException.class);
  }
}
