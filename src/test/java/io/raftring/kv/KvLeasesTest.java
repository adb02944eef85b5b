package io.raftring.kv;

import static io.raftring.kv.KvTestData.bytes;
import static io.raftring.kv.KvTestData.restoredFrom;
import static io.raftring.kv.KvTestData.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leases in the KV state machine (etcd's lessor, minus the clock): keys attached to a lease go when it is revoked or
 * expires, in the lease's own group at once and in other groups by a DeleteKeys entry; expiry needs the current lessor
 * epoch; every key change is an event handed to the listener.
 */
class KvLeasesTest {

  private static final long LEASE = 0x1234;

  /** Records what the machine tells its listener; renews keep-alives as a lessor would, when told it runs one. */
  static final class RecordingListener implements KvListener {
    final List<KvEvent> events = new ArrayList<>();
    final List<LeaseEvent> leaseEvents = new ArrayList<>();
    final List<Long> appliedRevisions = new ArrayList<>();
    final List<Long> restoredAt = new ArrayList<>();
    boolean runsLessor;

    @Override
    public void applied(long revision, List<KvEvent> changes, List<LeaseEvent> leaseChanges) {
      appliedRevisions.add(revision);
      events.addAll(changes);
      leaseEvents.addAll(leaseChanges);
    }

    @Override
    public void restored(long revision, LeaseTable.View leases) {
      restoredAt.add(revision);
    }

    @Override
    public long keepAlive(long lease, long ttlMillis) {
      return runsLessor ? ttlMillis : -1;
    }
  }

  private final RecordingListener listener = new RecordingListener();
  private final KvStateMachine machine = new KvStateMachine(listener);

  private static KvCommand.Put leasedPut(String key, long lease) {
    return new KvCommand.Put(key, bytes("v-" + key)).withLease(lease);
  }

  @Test
  void revokingALeaseDeletesItsKeysOneRevisionEachAndLeavesOtherKeys() {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(leasedPut("a", LEASE));
    machine.apply(leasedPut("b", LEASE));
    machine.apply(new KvCommand.Put("plain", bytes("p")));

    LeaseResult result = machine.apply(new LeaseCommand.Revoke(LEASE));

    assertThat(result).isEqualTo(new LeaseResult.Applied(2, 5));
    assertThat(machine.entries().keySet()).containsExactly("plain");
    assertThat(listener.events).extracting(KvEvent::type, KvEvent::key, KvEvent::revision).containsSubsequence(
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.DELETE, "a", 4L),
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.DELETE, "b", 5L));
    assertThat(listener.leaseEvents).contains(new LeaseEvent.Revoked(LEASE));
  }

  @Test
  void aPutWithoutALeaseDetachesTheKeyAsInEtcd() {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(leasedPut("a", LEASE));
    machine.apply(new KvCommand.Put("a", bytes("mine now")));

    machine.apply(new LeaseCommand.Revoke(LEASE));

    assertThat(machine.get("a")).isPresent();
    assertThat(machine.leaseOf("a")).isZero();
  }

  @Test
  void aGrantOfATakenIdIsRefusedAndChangesNothing() {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));

    LeaseResult again = machine.apply(new LeaseCommand.Grant(LEASE, 5_000));

    assertThat(again).isInstanceOf(LeaseResult.Refused.class);
    assertThat(((LeaseResult.Refused) again).reason()).isEqualTo(LeaseResult.Reason.EXISTS);
    assertThat(machine.query(new LeaseQuery.Get(LEASE)))
        .isEqualTo(new LeaseResult.Info(new LeaseRecord(LEASE, 10_000, false), -1));
  }

  @Test
  void onlyTheCurrentLessorEpochExpiresLeases() {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(leasedPut("a", LEASE));
    assertThat(machine.apply(new LeaseCommand.Promote("n1", 0))).isEqualTo(new LeaseResult.Promoted(1));
    assertThat(machine.apply(new LeaseCommand.Promote("n2", 1))).isEqualTo(new LeaseResult.Promoted(2));

    LeaseResult fromDeposedLessor = machine.apply(new LeaseCommand.Expire(1, List.of(LEASE)));

    assertThat(((LeaseResult.Refused) fromDeposedLessor).reason()).isEqualTo(LeaseResult.Reason.STALE_EPOCH);
    assertThat(machine.get("a")).isPresent();

    assertThat(machine.apply(new LeaseCommand.Expire(2, List.of(LEASE)))).isEqualTo(new LeaseResult.Applied(1, 2));
    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void aPromotionFromAnEpochThatMovedOnIsRefused() {
    machine.apply(new LeaseCommand.Promote("n1", 0));

    LeaseResult late = machine.apply(new LeaseCommand.Promote("n2", 0));

    assertThat(((LeaseResult.Refused) late).reason()).isEqualTo(LeaseResult.Reason.STALE_EPOCH);
    assertThat(((LeaseResult.Listing) machine.query(new LeaseQuery.List())).table())
        .isEqualTo(new LeaseTable.View(List.of(), "n1", 1));
  }

  @Test
  void inAnotherGroupDeleteKeysRemovesTheLeasesKeysAndRefusesPutsThatArriveLater() {
    // This machine is some other group than the lease's: it never saw the grant.
    machine.apply(leasedPut("x", LEASE));
    machine.apply(leasedPut("y", LEASE));

    assertThat(machine.apply(new LeaseCommand.DeleteKeys(List.of(LEASE)))).isEqualTo(new LeaseResult.Applied(2, 4));
    KvResult late = machine.apply(leasedPut("z", LEASE));

    assertThat(machine.entries()).isEmpty();
    assertThat(late).isInstanceOf(KvResult.Rejected.class);
    assertThat(((KvResult.Rejected) late).code()).isEqualTo(KvErrorCode.NOT_FOUND);
    assertThat(machine.revision()).isEqualTo(4);
  }

  @Test
  void aRevokedLeaseIsForgottenOnlyOnceItsKeysAreGoneEverywhereAndItsIdStaysTaken() {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(new LeaseCommand.Grant(LEASE + 1, 10_000));
    machine.apply(new LeaseCommand.Revoke(LEASE));

    LeaseResult forgotten = machine.apply(new LeaseCommand.Forget(List.of(LEASE, LEASE + 1)));

    assertThat(forgotten).isEqualTo(new LeaseResult.Applied(1, 0));
    assertThat(machine.query(new LeaseQuery.Get(LEASE + 1))).isInstanceOf(LeaseResult.Info.class);
    assertThat(((LeaseResult.Refused) machine.query(new LeaseQuery.Get(LEASE))).reason())
        .isEqualTo(LeaseResult.Reason.NOT_FOUND);
    assertThat(((LeaseResult.Refused) machine.apply(new LeaseCommand.Grant(LEASE, 1_000))).reason())
        .isEqualTo(LeaseResult.Reason.EXISTS);
    assertThat(listener.leaseEvents).containsSubsequence(
        new LeaseEvent.Revoked(LEASE), new LeaseEvent.Forgotten(LEASE));
  }

  @Test
  void aKeepAliveIsAnsweredOnlyWhereTheListenerRunsTheLessor() {
    machine.apply(new LeaseCommand.Grant(LEASE, 3_000));

    assertThat(((LeaseResult.Refused) machine.query(new LeaseQuery.KeepAlive(LEASE))).reason())
        .isEqualTo(LeaseResult.Reason.NOT_LESSOR);
    listener.runsLessor = true;
    assertThat(machine.query(new LeaseQuery.KeepAlive(LEASE)))
        .isEqualTo(new LeaseResult.Info(new LeaseRecord(LEASE, 3_000, false), 3_000));
    assertThat(((LeaseResult.Refused) machine.query(new LeaseQuery.KeepAlive(LEASE + 1))).reason())
        .isEqualTo(LeaseResult.Reason.NOT_FOUND);
  }

  @Test
  void everyAppliedEntryHandsItsChangesToTheListenerInOrder() {
    machine.apply(new KvCommand.Put("a", bytes("1")));
    machine.apply(new KvCommand.Put("a", bytes("2")));
    machine.apply(new KvCommand.Delete("missing"));
    machine.apply(KvCommand.putIfAbsent("a", bytes("refused")));
    machine.apply(new KvCommand.Delete("a"));

    assertThat(listener.events).extracting(KvEvent::type, KvEvent::revision).containsExactly(
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.PUT, 1L),
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.PUT, 2L),
        org.assertj.core.groups.Tuple.tuple(KvEvent.Type.DELETE, 3L));
    assertThat(listener.events.get(1).keyValue().version()).isEqualTo(2);
    // Entries that changed nothing are not reported.
    assertThat(listener.appliedRevisions).containsExactly(1L, 2L, 3L);
  }

  @Test
  void theLeaseStateSurvivesASnapshotAndTheListenerHearsOfTheRestore() throws IOException {
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(new LeaseCommand.Grant(LEASE + 1, 10_000));
    machine.apply(leasedPut("a", LEASE));
    machine.apply(leasedPut("remote", 0x9999));
    machine.apply(new LeaseCommand.Revoke(LEASE + 1));
    machine.apply(new LeaseCommand.Promote("n3", 0));
    byte[] snapshot = snapshotOf(machine);

    RecordingListener other = new RecordingListener();
    KvStateMachine restored = new KvStateMachine(other);
    restored.restore(new ByteArrayInputStream(snapshot));

    assertThat(other.restoredAt).containsExactly(0L, machine.revision());
    assertThat(snapshotOf(restored)).isEqualTo(snapshot);
    assertThat(restored.query(new LeaseQuery.List())).isEqualTo(machine.query(new LeaseQuery.List()));
    assertThat(restored.keysOf(0x9999)).containsExactly("remote");
    assertThat(restored.apply(leasedPut("b", LEASE + 1))).isInstanceOf(KvResult.Rejected.class);
    restored.apply(new LeaseCommand.Revoke(LEASE));
    assertThat(restored.entries().keySet()).containsExactly("remote");
  }

  @Test
  void aStoreWithoutLeasesStillWritesTheSnapshotFormatOlderNodesRead() throws IOException {
    machine.apply(new KvCommand.Put("a", bytes("1")));

    byte[] snapshot = snapshotOf(machine);

    assertThat(snapshot[0]).isEqualTo((byte) KvSnapshot.FORMAT_V1);
    assertThat(restoredFrom(snapshot).entries()).isEqualTo(machine.entries());
  }

  @Test
  void aGroupRemembersABoundedNumberOfRevokedLeases() {
    LeaseTable table = new LeaseTable();
    for (long id = 1; id <= LeaseTable.MAX_REVOKED_REMEMBERED + 5; id++) {
      table.rememberRevoked(id);
    }

    assertThat(table.isRevoked(5)).isFalse();
    assertThat(table.isRevoked(6)).isTrue();
    assertThat(table.rememberedRevoked()).hasSize(LeaseTable.MAX_REVOKED_REMEMBERED);
  }

  @Test
  void aKeyHeldPastItsLeaseEndIsStillDeletedOnReleaseAfterManyLaterRevocations() {
    java.util.Set<String> held = new java.util.HashSet<>(List.of("a"));
    machine.holdLeaseDeletesOf(held::contains);
    machine.apply(leasedPut("a", LEASE));
    machine.apply(new LeaseCommand.DeleteKeys(List.of(LEASE)));
    for (long other = 1; other <= LeaseTable.MAX_REVOKED_REMEMBERED + 10; other++) {
      machine.apply(new LeaseCommand.DeleteKeys(List.of(LEASE + other)));
    }
    assertThat(machine.get("a")).isPresent();

    assertThat(machine.deleteKeysOfEndedLeases(List.of("a"))).isZero();
    held.clear();
    assertThat(machine.deleteKeysOfEndedLeases(List.of("a"))).isEqualTo(1);

    assertThat(machine.get("a")).isEmpty();
  }

  @Test
  void aKeepAliveOfSeveralRenewsEachLeaseOnTheLessorAndSaysWhichAreGone() {
    listener.runsLessor = true;
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));
    machine.apply(new LeaseCommand.Grant(LEASE + 1, 5_000));
    machine.apply(new LeaseCommand.Revoke(LEASE + 1));

    LeaseResult answer = machine.query(new LeaseQuery.KeepAliveMany(List.of(LEASE + 1, LEASE, LEASE + 2)));

    assertThat(answer).isEqualTo(new LeaseResult.Renewals(List.of(new LeaseResult.Renewal(LEASE + 1, false, 0),
        new LeaseResult.Renewal(LEASE, true, 10_000), new LeaseResult.Renewal(LEASE + 2, false, 0))));
  }

  @Test
  void aKeepAliveOfSeveralOffTheLessorsNodeRenewsNoneAndSaysSo() {
    listener.runsLessor = false;
    machine.apply(new LeaseCommand.Grant(LEASE, 10_000));

    LeaseResult answer = machine.query(new LeaseQuery.KeepAliveMany(List.of(LEASE)));

    assertThat(((LeaseResult.Refused) answer).reason()).isEqualTo(LeaseResult.Reason.NOT_LESSOR);
  }
}
