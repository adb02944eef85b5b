package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvStateMachine;
import io.raftring.kv.LeaseCodec;
import io.raftring.kv.LeaseCommand;
import io.raftring.kv.LeaseEvent;
import io.raftring.kv.LeaseTable;
import io.raftring.txn.Compare.Operator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lease that ends (revoked, expired, or its keys deleted from another group) while a prepared transaction holds
 * locks on some of its keys: those keys stay until the locks go, so the transaction decides on what it read, and then
 * go in the entry that releases them, unless the transaction's commit wrote them (a put detaches a key from its lease,
 * as a plain put without a lease does).
 */
class LeaseEndUnderLocksTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final long LEASE = 0x51L;
  private static final TxnId T1 = new TxnId("g0", NOW, 1, 0, "n1");

  private final List<KvEvent> events = new ArrayList<>();
  private TxnStateMachine group;
  private long index;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static TxnStateMachine newGroup(List<KvEvent> events) {
    return new TxnStateMachine(new KvStateMachine(new KvListener() {
      @Override
      public void applied(long revision, List<KvEvent> changes, List<LeaseEvent> leaseChanges) {
        events.addAll(changes);
      }

      @Override
      public void restored(long revision, LeaseTable.View leases) {}

      @Override
      public long keepAlive(long lease, long ttlMillis) {
        return -1;
      }
    }));
  }

  /** A lease command as the replica applies it: bytes through the transaction layer. */
  private void applyLease(LeaseCommand command) {
    group.apply(++index, LeaseCodec.encode(command));
  }

  @BeforeEach
  void givenTwoKeysOnALeaseAndOneWithout() {
    group = newGroup(events);
    applyLease(new LeaseCommand.Grant(LEASE, 10_000));
    group.apply(new KvCommand.Put("a", bytes("100")).withLease(LEASE));
    group.apply(new KvCommand.Put("b", bytes("50")).withLease(LEASE));
    group.apply(new KvCommand.Put("c", bytes("7")));
  }

  /** Writes a (exclusive lock) if b's value is 50 (shared lock on b). */
  private TxnResult prepareWritingAReadingB() {
    TxnRequest part = TxnRequest.builder()
        .when(Compare.value("b", Operator.EQUAL, bytes("50")))
        .then(TxnOp.put("a", bytes("90")))
        .build();
    return group.apply(new TxnCommand.Prepare(T1, NOW, NOW + 3_000, true, List.of("g0", "g1"), part));
  }

  @Test
  void aRevokeLeavesLockedKeysUntilTheCommitWhichKeepsWhatItWroteAndDeletesWhatItOnlyRead() {
    assertThat(prepareWritingAReadingB()).isInstanceOf(TxnResult.Prepared.class);
    long revisionBefore = group.kv().revision();

    applyLease(new LeaseCommand.Revoke(LEASE));

    assertThat(group.kv().get("a")).isPresent();
    assertThat(group.kv().get("b")).isPresent();
    assertThat(group.kv().revision()).isEqualTo(revisionBefore);

    TxnResult committed = group.apply(new TxnCommand.Commit(T1, NOW + 10, true, true));

    assertThat(committed).isEqualTo(new TxnResult.Committed(revisionBefore + 1, true));
    assertThat(group.kv().get("a").map(KeyValue::value).map(String::new)).contains("90");
    assertThat(group.kv().leaseOf("a")).isEqualTo(KvCommand.NO_LEASE);
    assertThat(group.kv().get("b")).isEmpty();
    assertThat(group.kv().revision()).isEqualTo(revisionBefore + 2);
    assertThat(events).extracting(KvEvent::type, KvEvent::key, KvEvent::revision).endsWith(
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.PUT, "a", revisionBefore + 1),
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.DELETE, "b", revisionBefore + 2));
    assertThat(group.kv().get("c")).isPresent();
  }

  @Test
  void anExpiryUnderLocksDeletesEveryLockedKeyWhenTheTransactionAborts() {
    prepareWritingAReadingB();
    applyLease(new LeaseCommand.Promote("n1", 0));

    applyLease(new LeaseCommand.Expire(1, List.of(LEASE)));
    assertThat(group.kv().get("a")).isPresent();

    group.apply(new TxnCommand.Abort(T1, NOW + 10, true));

    assertThat(group.kv().get("a")).isEmpty();
    assertThat(group.kv().get("b")).isEmpty();
    assertThat(group.kv().get("c")).isPresent();
  }

  @Test
  void whileTheLockStandsAPlainWriteIsRefusedAndAPutNamingTheEndedLeaseIsRefusedAfter() {
    prepareWritingAReadingB();
    applyLease(new LeaseCommand.DeleteKeys(List.of(LEASE)));

    assertThat(group.apply(new KvCommand.Put("a", bytes("x")))).isInstanceOf(KvResult.Locked.class);
    group.apply(new TxnCommand.Abort(T1, NOW + 10, true));

    assertThat(group.kv().get("a")).isEmpty();
    assertThat(group.apply(new KvCommand.Put("a", bytes("x")).withLease(LEASE)))
        .isInstanceOf(KvResult.Rejected.class);
  }

  @Test
  void keysHeldPastALeaseEndSurviveASnapshotAndGoWhenTheRestoredGroupReleasesThem() throws Exception {
    prepareWritingAReadingB();
    applyLease(new LeaseCommand.Revoke(LEASE));
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    group.writeSnapshot(snapshot);

    List<KvEvent> restoredEvents = new ArrayList<>();
    TxnStateMachine restored = newGroup(restoredEvents);
    restored.restore(new ByteArrayInputStream(snapshot.toByteArray()));
    assertThat(restored.kv().get("a")).isPresent();
    restored.apply(new TxnCommand.Abort(T1, NOW + 10, true));

    assertThat(restored.kv().get("a")).isEmpty();
    assertThat(restored.kv().get("b")).isEmpty();
    assertThat(restored.kv().entries().keySet()).containsExactly("c");
  }

  @Test
  void keysWithoutLocksGoAtOnceAsBefore() {
    group.apply(new KvCommand.Put("d", bytes("1")).withLease(LEASE));
    prepareWritingAReadingB();

    applyLease(new LeaseCommand.Revoke(LEASE));

    assertThat(group.kv().get("d")).isEmpty();
    assertThat(group.kv().get("a")).isPresent();
    assertThat(group.kv().entries().keySet()).containsExactly("a", "b", "c");
  }
}
