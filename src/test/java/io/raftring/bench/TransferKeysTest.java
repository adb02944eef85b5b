package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.ring.GroupPlacement;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferKeysTest {

  @Test
  void sameGroupKeysShareAHashTag() {
    GroupPlacement ring = GroupPlacement.of(16, 1, 128, List.of("n1"));
    String[] pair = TransferKeys.sameGroup().of("bench-00000042");

    assertThat(pair).containsExactly("{bench-00000042}/debit", "{bench-00000042}/credit");
    assertThat(ring.groupOf(pair[0])).isEqualTo(ring.groupOf(pair[1]));
  }

  @Test
  void crossGroupKeysLandInTwoGroupsOfTheClustersRing() {
    GroupPlacement ring = GroupPlacement.of(16, 1, 128, List.of("n1"));
    TransferKeys keys = TransferKeys.crossGroup(16, 128);
    for (int i = 0; i < 200; i++) {
      String[] pair = keys.of("bench-" + i);
      assertThat(ring.groupOf(pair[0])).isNotEqualTo(ring.groupOf(pair[1]));
    }
    assertThatThrownBy(() -> TransferKeys.crossGroup(1, 128)).hasMessageContaining("two or more groups");
  }

  @Test
  void theWorkloadIsNamedTxnTransfer() {
    assertThat(Workload.parse("txn-transfer")).isEqualTo(Workload.TXN_TRANSFER);
    assertThat(Workload.TXN_TRANSFER.label()).isEqualTo("txn-transfer");
  }
}
