package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.txn.Compare.Operator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One group as a participant of two-phase transactions and as their record keeper: prepare takes locks and keeps
 * redo and undo, commit applies the redo, abort leaves the data as it was, and the record decides once.
 */
class ParticipantTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final TxnId T1 = new TxnId("g0", NOW, 1, 0, "n1");
  private static final TxnId T2 = new TxnId("g0", NOW + 5, 2, 0, "n2");

  private TxnStateMachine group;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<KeyValue> kv) {
    return kv.map(k -> new String(k.value(), StandardCharsets.UTF_8)).orElse(null);
  }

  private String valueOf(String key) {
    return text(group.kv().get(key));
  }

  @BeforeEach
  void givenTwoAccounts() {
    group = new TxnStateMachine();
    group.apply(new KvCommand.Put("a", bytes("100")));
    group.apply(new KvCommand.Put("b", bytes("50")));
  }

  private static TxnRequest transfer() {
    return TxnRequest.builder()
        .when(Compare.value("a", Operator.EQUAL, bytes("100")))
        .then(TxnOp.put("a", bytes("90")), TxnOp.put("b", bytes("60")))
        .otherwise(TxnOp.get("a"))
        .build();
  }

  private TxnResult prepare(TxnId id, TxnRequest part, boolean recordHere) {
    return group.apply(new TxnCommand.Prepare(id, NOW, NOW + 3_000, recordHere, recordHere ? List.of("g0", "g1")
        : List.of(), part));
  }

  @Test
  void prepareLocksTheKeysEvaluatesTheComparesAndWritesNothingYet() {
    TxnResult result = prepare(T1, transfer(), true);

    assertThat(result).isInstanceOf(TxnResult.Prepared.class);
    TxnResult.Prepared prepared = (TxnResult.Prepared) result;
    assertThat(prepared.comparesHeld()).isTrue();
    assertThat(prepared.success()).extracting(r -> text(((OpResult.PutResult) r).previous()))
        .containsExactly("100", "50");
    assertThat(valueOf("a")).isEqualTo("100");
    assertThat(group.kv().revision()).isEqualTo(2);
    assertThat(group.query(new TxnQuery.RecordOf(T1))).isEqualTo(new TxnResult.Record(
        Optional.of(TxnRecord.pending(T1, List.of("g0", "g1"))), NOW));
  }

  @Test
  void commitAppliesTheRedoOfTheBranchThatRanAtOneRevisionAndReleasesTheLocks() {
    prepare(T1, transfer(), true);

    TxnResult committed = group.apply(new TxnCommand.Commit(T1, NOW + 10, true, true));

    assertThat(committed).isEqualTo(new TxnResult.Committed(3, true));
    assertThat(group.kv().get("a").orElseThrow().modRevision()).isEqualTo(3);
    assertThat(group.kv().get("b").orElseThrow().modRevision()).isEqualTo(3);
    assertThat(valueOf("a")).isEqualTo("90");
    assertThat(valueOf("b")).isEqualTo("60");
    assertThat(group.apply(new KvCommand.Put("a", bytes("x")))).isInstanceOf(KvResult.Written.class);
    TxnResult.Record record = (TxnResult.Record) group.query(new TxnQuery.RecordOf(T1));
    assertThat(record.record().orElseThrow().state()).isEqualTo(TxnRecord.State.COMMITTED);
    assertThat(record.record().orElseThrow().revision()).isEqualTo(3);
  }

  @Test
  void abortLeavesEveryKeyAsItsUndoImageSaysAndReleasesTheLocks() {
    prepare(T1, transfer(), true);
    KeyValue before = group.kv().get("a").orElseThrow();

    TxnResult aborted = group.apply(new TxnCommand.Abort(T1, NOW + 10, true));

    assertThat(aborted).isInstanceOf(TxnResult.Aborted.class);
    assertThat(group.kv().get("a")).contains(before);
    assertThat(group.kv().revision()).isEqualTo(2);
    assertThat(group.apply(new KvCommand.Put("a", bytes("x")))).isInstanceOf(KvResult.Written.class);
    assertThat(((TxnResult.Record) group.query(new TxnQuery.RecordOf(T1))).record().orElseThrow().state())
        .isEqualTo(TxnRecord.State.ABORTED);
  }

  @Test
  void theRecordIsDecidedOnceWhicheverOfCommitAndAbortComesFirst() {
    prepare(T1, transfer(), true);
    group.apply(new TxnCommand.Abort(T1, NOW + 10, true));
    assertThat(group.apply(new TxnCommand.Commit(T1, NOW + 11, true, true))).isInstanceOf(TxnResult.Aborted.class);
    assertThat(valueOf("a")).isEqualTo("100");

    TxnId t3 = new TxnId("g0", NOW, 3, 0, "n1");
    prepare(t3, transfer(), true);
    group.apply(new TxnCommand.Commit(t3, NOW + 10, true, true));
    assertThat(group.apply(new TxnCommand.Abort(t3, NOW + 11, true))).isEqualTo(new TxnResult.Committed(3, true));
    assertThat(valueOf("a")).isEqualTo("90");
  }

  @Test
  void anAbortBeforeThePrepareArrivesFencesIt() {
    group.apply(new TxnCommand.Abort(T1, NOW, true));

    TxnResult late = prepare(T1, transfer(), true);

    assertThat(late).isInstanceOf(TxnResult.Refused.class);
    assertThat(((TxnResult.Refused) late).conflicts()).isEmpty();
    assertThat(group.apply(new KvCommand.Put("a", bytes("x")))).isInstanceOf(KvResult.Written.class);
  }

  @Test
  void aParticipantThatFinishedATransactionRefusesItsPrepareAgainSoARetryCannotApplyItTwice() {
    prepare(T1, transfer(), false);
    group.apply(new TxnCommand.Commit(T1, NOW + 10, true, false));

    assertThat(prepare(T1, transfer(), false)).isInstanceOf(TxnResult.Refused.class);
    assertThat(group.apply(new TxnCommand.Commit(T1, NOW + 20, true, false)))
        .isEqualTo(new TxnResult.NotPrepared(true));
    assertThat(group.kv().revision()).isEqualTo(3);
  }

  @Test
  void theSamePrepareTwiceGetsTheSameAnswerAndTakesNothingMore() {
    TxnResult first = prepare(T1, transfer(), true);
    TxnResult again = prepare(T1, transfer(), true);

    assertThat(again).isEqualTo(first);
    assertThat(((TxnResult.PreparedList) group.query(new TxnQuery.ListPrepared(10))).preparedCount()).isEqualTo(1);
  }

  @Test
  void aWriteLockConflictsWithEveryOtherLockAndAReadLockOnlyWithWriteLocks() {
    TxnRequest readsA = TxnRequest.builder().then(TxnOp.get("a")).build();
    TxnRequest writesA = TxnRequest.builder().then(TxnOp.put("a", bytes("1"))).build();
    assertThat(prepare(T1, readsA, false)).isInstanceOf(TxnResult.Prepared.class);
    assertThat(prepare(T2, readsA, false)).isInstanceOf(TxnResult.Prepared.class);

    TxnId t3 = new TxnId("g0", NOW + 9, 3, 0, "n3");
    TxnResult refused = prepare(t3, writesA, false);

    assertThat(refused).isInstanceOf(TxnResult.Refused.class);
    assertThat(((TxnResult.Refused) refused).conflicts()).extracting(KeyLock::txnId)
        .containsExactlyInAnyOrder(T1.toString(), T2.toString());
    assertThat(((TxnResult.PreparedList) group.query(new TxnQuery.ListPrepared(10))).preparedCount()).isEqualTo(2);
  }

  @Test
  void plainWritesMeetAnyLockAndPlainReadsOnlyWriteLocksWithTheCommittedAnswer() {
    prepare(T1, transfer(), true);
    prepare(T2, TxnRequest.builder().then(TxnOp.get("c")).build(), false);

    KvResult put = group.apply(new KvCommand.Put("b", bytes("0")));
    KvResult putOnReadLock = group.apply(new KvCommand.Put("c", bytes("0")));
    KvResult get = group.query(new KvQuery.Get("a"));

    assertThat(put).isInstanceOf(KvResult.Locked.class);
    assertThat(((KvResult.Locked) put).locks()).extracting(KeyLock::txnId).containsExactly(T1.toString());
    assertThat(putOnReadLock).isInstanceOf(KvResult.Locked.class);
    assertThat(get).isInstanceOf(KvResult.Locked.class);
    assertThat(((KvResult.Locked) get).committed()).contains(
        new KvResult.Found(new KeyValue("a", bytes("100"), 1, 1, 1), 2));
    assertThat(group.query(new KvQuery.Get("c"))).isInstanceOf(KvResult.NotFound.class);
    KvResult range = group.query(new KvQuery.Prefix("", 100));
    assertThat(range).isInstanceOf(KvResult.Locked.class);
    assertThat(((KvResult.Locked) range).locks()).extracting(KeyLock::key).containsExactly("a", "b");
    assertThat(valueOf("b")).isEqualTo("50");
  }

  @Test
  void aBackupExportReadsTheCommittedStatePastTheLocksOfAnUndecidedTransaction() {
    prepare(T1, transfer(), true);

    KvResult page = group.query(new KvQuery.Export("backup-1", 100, java.util.Optional.empty()));

    assertThat(page).isInstanceOf(KvResult.RangePage.class);
    assertThat(((KvResult.RangePage) page).keyValues()).extracting(KeyValue::key).containsExactly("a", "b");
  }

  @Test
  void aPrepareFromATransactionThatBeganLongBeforeTheGroupsLatestTimeIsRefused() {
    group.apply(new TxnCommand.Abort(new TxnId("g0", NOW + 40_000, 9, 0, "n1"), NOW + 40_000, true));

    TxnResult stale = prepare(T1, transfer(), true);

    assertThat(stale).isInstanceOf(TxnResult.Refused.class);
    assertThat(((TxnResult.Refused) stale).reason()).contains("too old");
  }

  @Test
  void decidedRecordsAreForgottenAfterTheirRetentionButPendingOnesAreKept() {
    TxnId decided = new TxnId("g0", NOW, 5, 0, "n1");
    group.apply(new TxnCommand.Abort(decided, NOW, true));
    prepare(T1, transfer(), true);

    group.apply(new TxnCommand.Abort(new TxnId("g0", NOW + 70_000, 9, 0, "n1"), NOW + 70_000, true));

    assertThat(((TxnResult.Record) group.query(new TxnQuery.RecordOf(decided))).record()).isEmpty();
    assertThat(((TxnResult.Record) group.query(new TxnQuery.RecordOf(T1))).record()).isPresent();
  }

  @Test
  void aRangeIsRefusedInAPrepareSinceOnlyPointKeysAreLocked() {
    TxnResult refused = prepare(T1, TxnRequest.builder().then(TxnOp.range("a", 10)).build(), false);

    assertThat(refused).isInstanceOf(TxnResult.Refused.class);
    assertThat(group.query(new TxnQuery.ListPrepared(1))).isEqualTo(new TxnResult.PreparedList(List.of(), 0, 0));
  }
}
