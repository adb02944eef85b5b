package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A transaction's writes land together: one new revision for all of them, as etcd gives a Txn. */
class KvAtomicBatchTest {

  private final KvStateMachine machine = new KvStateMachine();

  @Test
  void everyWriteOfABatchTakesTheSameNewRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("c", bytes("3")));

    KvStateMachine.BatchApplied applied = machine.applyAtomically(List.of(
        new KvCommand.Put("a", bytes("10")), new KvCommand.Put("b", bytes("20")), new KvCommand.Delete("c")));

    assertThat(applied.revision()).isEqualTo(3);
    assertThat(machine.get("a")).contains(new KeyValue("a", bytes("10"), 1, 3, 2));
    assertThat(machine.get("b")).contains(new KeyValue("b", bytes("20"), 3, 3, 1));
    assertThat(machine.get("c")).isEmpty();
    assertThat(applied.previous()).containsExactly(
        Optional.of(new KeyValue("a", bytes("1"), 1, 1, 1)), Optional.empty(),
        Optional.of(new KeyValue("c", bytes("3"), 2, 2, 1)));
  }

  @Test
  void aBatchThatChangesNothingKeepsTheRevision() {
    machine.apply(new KvCommand.Put("a", bytes("1")));

    assertThat(machine.applyAtomically(List.of(new KvCommand.Delete("absent"))).revision()).isEqualTo(1);
    assertThat(machine.applyAtomically(List.of()).revision()).isEqualTo(1);
    assertThat(machine.revision()).isEqualTo(1);
  }

  @Test
  void aBatchMayNotWriteOneKeyTwiceNorCarryConditions() {
    assertThatThrownBy(() -> machine.applyAtomically(List.of(
        new KvCommand.Put("a", bytes("1")), new KvCommand.Delete("a"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> machine.applyAtomically(List.of(KvCommand.putIfAbsent("a", bytes("1")))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(machine.revision()).isZero();
  }
}
