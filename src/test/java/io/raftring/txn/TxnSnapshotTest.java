package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group's snapshot carries its transaction state; one written before transactions existed still restores. */
class TxnSnapshotTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final TxnId T1 = new TxnId("g0", NOW, 1, 0, "n1");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] snapshot(TxnStateMachine machine) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    machine.snapshotView().writeTo(out);
    return out.toByteArray();
  }

  @Test
  void locksRedoAndRecordsSurviveASnapshotSoACommitAfterRestoreStillApplies() throws IOException {
    TxnStateMachine machine = new TxnStateMachine();
    machine.apply(new KvCommand.Put("a", bytes("100")));
    machine.apply(new TxnCommand.Prepare(T1, NOW, NOW + 3_000, true, List.of("g0", "g1"),
        TxnRequest.builder().then(TxnOp.put("a", bytes("90"))).build()));

    TxnStateMachine restored = new TxnStateMachine();
    restored.restore(new ByteArrayInputStream(snapshot(machine)));

    assertThat(restored.apply(new KvCommand.Put("a", bytes("x")))).isInstanceOf(KvResult.Locked.class);
    assertThat(restored.query(new TxnQuery.RecordOf(T1))).isEqualTo(machine.query(new TxnQuery.RecordOf(T1)));
    assertThat(restored.apply(new TxnCommand.Commit(T1, NOW + 5, true, true)))
        .isEqualTo(new TxnResult.Committed(2, true));
    assertThat(restored.query(new KvQuery.Get("a"))).isInstanceOf(KvResult.Found.class);
    assertThat(snapshot(restored)).isNotEmpty();
  }

  @Test
  void aSnapshotOfTheKvStateAloneRestoresWithNoTransactionState() throws IOException {
    KvStateMachine old = new KvStateMachine();
    old.apply(new KvCommand.Put("a", bytes("1")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    old.writeSnapshot(out);

    TxnStateMachine restored = new TxnStateMachine();
    restored.restore(new ByteArrayInputStream(out.toByteArray()));

    assertThat(restored.kv().entries()).isEqualTo(old.entries());
    assertThat(restored.query(new TxnQuery.ListPrepared(5))).isEqualTo(new TxnResult.PreparedList(List.of(), 0, 0));
  }
}
