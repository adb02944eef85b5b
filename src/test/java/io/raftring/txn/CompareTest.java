package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvValidationException;
import io.raftring.txn.Compare.Operator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Compares evaluate as etcd's do. */
class CompareTest {

  private static final KeyValue A = new KeyValue("a", bytes("100"), 3, 7, 2);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aValueCompareWeighsTheValueAsUnsignedBytes() {
    assertThat(Compare.value("a", Operator.EQUAL, bytes("100")).holdsFor(A)).isTrue();
    assertThat(Compare.value("a", Operator.NOT_EQUAL, bytes("100")).holdsFor(A)).isFalse();
    assertThat(Compare.value("a", Operator.LESS, bytes("2")).holdsFor(A)).isTrue();
    assertThat(Compare.value("a", Operator.GREATER, bytes("099")).holdsFor(A)).isTrue();
    KeyValue high = new KeyValue("h", new byte[] {(byte) 0xff}, 1, 1, 1);
    assertThat(Compare.value("h", Operator.GREATER, new byte[] {0x7f}).holdsFor(high)).isTrue();
  }

  @Test
  void aValueCompareOnAnAbsentKeyNeverHoldsWhateverTheOperator() {
    for (Operator op : Operator.values()) {
      assertThat(Compare.value("a", op, bytes("")).holdsFor(null)).as(op.symbol()).isFalse();
    }
  }

  @Test
  void revisionsAndVersionCompareAsNumbersWithAnAbsentKeyAtZero() {
    assertThat(Compare.version("a", Operator.EQUAL, 2).holdsFor(A)).isTrue();
    assertThat(Compare.createRevision("a", Operator.LESS, 4).holdsFor(A)).isTrue();
    assertThat(Compare.modRevision("a", Operator.GREATER, 6).holdsFor(A)).isTrue();
    assertThat(Compare.modRevision("a", Operator.EQUAL, 0).holdsFor(null)).isTrue();
    assertThat(Compare.version("a", Operator.GREATER, 0).holdsFor(null)).isFalse();
  }

  @Test
  void existsTellsPresentFromAbsent() {
    assertThat(Compare.exists("a", true).holdsFor(A)).isTrue();
    assertThat(Compare.exists("a", true).holdsFor(null)).isFalse();
    assertThat(Compare.exists("a", false).holdsFor(null)).isTrue();
    assertThat(new Compare("a", Compare.Target.EXISTS, Operator.NOT_EQUAL, null, 1).holdsFor(null)).isTrue();
  }

  @Test
  void malformedComparesAreRefusedAsBadRequests() {
    assertThatThrownBy(() -> new Compare("a", Compare.Target.EXISTS, Operator.LESS, null, 1))
        .isInstanceOf(KvValidationException.class);
    assertThatThrownBy(() -> Compare.version("a", Operator.EQUAL, -1)).isInstanceOf(KvValidationException.class);
    assertThatThrownBy(() -> Compare.version("", Operator.EQUAL, 1)).isInstanceOf(KvValidationException.class);
    assertThatThrownBy(() -> Compare.Target.parse("size")).isInstanceOf(KvValidationException.class);
    assertThatThrownBy(() -> Operator.parse("<=")).isInstanceOf(KvValidationException.class);
  }
}
