package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.txn.Compare.Operator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A transaction over one group's keys is one log entry: all of it or nothing, at one revision, etcd's Txn. */
class OneGroupTxnTest {

  private static final long NOW = 1_700_000_000_000L;
  private TxnStateMachine group;
  private long sequence;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String valueOf(String key) {
    return group.kv().get(key).map(k -> new String(k.value(), StandardCharsets.UTF_8)).orElse(null);
  }

  private TxnResult execute(TxnRequest request) {
    return group.apply(new TxnCommand.Execute(new TxnId("g0", NOW, sequence++, 0, "n1"), NOW, request));
  }

  @BeforeEach
  void givenTwoAccounts() {
    group = new TxnStateMachine();
    group.apply(new KvCommand.Put("a", bytes("100")));
    group.apply(new KvCommand.Put("b", bytes("50")));
  }

  @Test
  void whenEveryCompareHoldsTheSuccessBranchRunsAndItsWritesShareOneNewRevision() {
    TxnResult result = execute(TxnRequest.builder()
        .when(Compare.value("a", Operator.EQUAL, bytes("100")), Compare.version("b", Operator.EQUAL, 1))
        .then(TxnOp.put("a", bytes("90")), TxnOp.put("b", bytes("60")), TxnOp.get("a"))
        .build());

    TxnResult.Done done = (TxnResult.Done) result;
    assertThat(done.succeeded()).isTrue();
    assertThat(done.revision()).isEqualTo(3);
    assertThat(done.results()).containsExactly(
        new OpResult.PutResult(3, Optional.of(new KeyValue("a", bytes("100"), 1, 1, 1))),
        new OpResult.PutResult(3, Optional.of(new KeyValue("b", bytes("50"), 2, 2, 1))),
        new OpResult.GetResult(Optional.of(new KeyValue("a", bytes("90"), 1, 3, 2))));
    assertThat(valueOf("a")).isEqualTo("90");
    assertThat(valueOf("b")).isEqualTo("60");
  }

  @Test
  void aFailedCompareRunsTheFailureBranchAndChangesNothingElse() {
    TxnResult result = execute(TxnRequest.builder()
        .when(Compare.value("a", Operator.EQUAL, bytes("999")))
        .then(TxnOp.put("a", bytes("0")), TxnOp.delete("b"))
        .otherwise(TxnOp.get("a"))
        .build());

    TxnResult.Done done = (TxnResult.Done) result;
    assertThat(done.succeeded()).isFalse();
    assertThat(done.revision()).isEqualTo(2);
    assertThat(done.results()).containsExactly(
        new OpResult.GetResult(Optional.of(new KeyValue("a", bytes("100"), 1, 1, 1))));
    assertThat(valueOf("a")).isEqualTo("100");
    assertThat(valueOf("b")).isEqualTo("50");
    assertThat(group.kv().revision()).isEqualTo(2);
  }

  @Test
  void aRangeSeesTheBranchsEarlierWritesAndDeletes() {
    TxnResult result = execute(TxnRequest.builder()
        .then(TxnOp.put("ab", bytes("new")), TxnOp.delete("b"), TxnOp.range("", 10))
        .build());

    OpResult.RangeResult range = (OpResult.RangeResult) ((TxnResult.Done) result).results().get(2);
    assertThat(range.keyValues()).extracting(KeyValue::key).containsExactly("a", "ab");
    assertThat(range.more()).isFalse();
  }

  @Test
  void aTransactionThatMeetsALockChangesNothingAndNamesTheLock() {
    TxnId holder = new TxnId("g0", NOW, 99, 0, "n2");
    group.apply(new TxnCommand.Prepare(holder, NOW, NOW + 3_000, true, List.of("g0", "g1"),
        TxnRequest.builder().then(TxnOp.put("b", bytes("1"))).build()));

    TxnResult result = execute(TxnRequest.builder().then(TxnOp.put("a", bytes("0")), TxnOp.put("b", bytes("0")))
        .build());

    assertThat(result).isInstanceOf(TxnResult.Blocked.class);
    assertThat(((TxnResult.Blocked) result).locks()).extracting(l -> l.txnId()).containsExactly(holder.toString());
    assertThat(valueOf("a")).isEqualTo("100");
  }

  @Test
  void aReadOnlyTransactionIsAnsweredFromOneStateAndCarriesItWhenAWriteLockStandsOnItsKeys() {
    TxnRequest readBoth = TxnRequest.builder().then(TxnOp.get("a"), TxnOp.get("b")).build();
    TxnResult free = group.query(new TxnQuery.Read(readBoth));
    assertThat(free).isInstanceOf(TxnResult.Done.class);

    group.apply(new TxnCommand.Prepare(new TxnId("g0", NOW, 99, 0, "n2"), NOW, NOW + 3_000, true, List.of("g0"),
        TxnRequest.builder().then(TxnOp.put("b", bytes("1"))).build()));
    TxnResult blocked = group.query(new TxnQuery.Read(readBoth));

    assertThat(blocked).isInstanceOf(TxnResult.Blocked.class);
    assertThat(((TxnResult.Blocked) blocked).committed()).contains((TxnResult.Done) free);
  }
}
