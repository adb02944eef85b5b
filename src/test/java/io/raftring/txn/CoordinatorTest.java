package io.raftring.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvValidationException;
import io.raftring.txn.Compare.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator over simulated groups: keys starting with 'a' live in g0, with 'b' in g1, with 'c' in g2. Every
 * step is a message the test delivers, every pause a task on a manual clock, so interleavings and crashes are exact.
 */
class CoordinatorTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final TxnSettings SETTINGS = new TxnSettings(Duration.ofSeconds(2), 64, 1 << 20,
      Duration.ofSeconds(1), Duration.ofMillis(500));

  private SimulatedGroups groups;
  private LockResolver resolver;

  static final KeyRouting BY_FIRST_LETTER = new KeyRouting() {
    @Override
    public String groupOf(String key) {
      return "g" + (key.charAt(0) - 'a');
    }

    @Override
    public Optional<String> groupOfPrefix(String prefix) {
      return prefix.isEmpty() ? Optional.empty() : Optional.of(groupOf(prefix));
    }
  };

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void givenAccountsInTwoGroups() {
    groups = new SimulatedGroups("g0", "g1", "g2");
    resolver = new LockResolver(groups, groups, groups::wallMillis, groups::nanoTime, TxnMetrics.discarding());
    groups.machine("g0").apply(new KvCommand.Put("alice", bytes("100")));
    groups.machine("g1").apply(new KvCommand.Put("bob", bytes("50")));
  }

  private TxnCoordinator coordinator(String node) {
    return new TxnCoordinator(node, groups, BY_FIRST_LETTER, KvLimits.DEFAULT, SETTINGS, resolver, groups,
        groups::wallMillis, groups::nanoTime, TxnMetrics.discarding());
  }

  private TxnRecovery recovery() {
    return new TxnRecovery(groups, resolver, () -> List.of("g0", "g1", "g2"), SETTINGS, groups::wallMillis,
        TxnMetrics.discarding());
  }

  private String valueOf(String group, String key) {
    return groups.machine(group).kv().get(key).map(kv -> new String(kv.value(), StandardCharsets.UTF_8))
        .orElse(null);
  }

  private static TxnRequest transfer(String from, String fromBalance, String to, String toBalance, int amount) {
    return TxnRequest.builder()
        .when(Compare.value(from, Operator.EQUAL, bytes(fromBalance)), Compare.value(to, Operator.EQUAL,
            bytes(toBalance)))
        .then(TxnOp.put(from, bytes(Integer.toString(Integer.parseInt(fromBalance) - amount))),
            TxnOp.put(to, bytes(Integer.toString(Integer.parseInt(toBalance) + amount))))
        .otherwise(TxnOp.get(from), TxnOp.get(to))
        .build();
  }

  private TxnOutcome run(CompletableFuture<TxnOutcome> outcome) {
    groups.run();
    assertThat(outcome).isDone();
    return outcome.join();
  }

  @Test
  void aTransferBetweenGroupsCommitsInBothAndAnswersWithTheRecordGroupsRevision() {
    TxnOutcome outcome = run(coordinator("n1").execute(transfer("alice", "100", "bob", "50", 10), TIMEOUT)
        .toCompletableFuture());

    TxnOutcome.Completed done = (TxnOutcome.Completed) outcome;
    assertThat(done.succeeded()).isTrue();
    assertThat(done.twoPhase()).isTrue();
    assertThat(done.group()).isEqualTo("g0");
    assertThat(done.revision()).isEqualTo(2);
    assertThat(done.results()).containsExactly(
        new OpResult.PutResult(2, Optional.of(new KeyValue("alice", bytes("100"), 1, 1, 1))),
        new OpResult.PutResult(0, Optional.of(new KeyValue("bob", bytes("50"), 1, 1, 1))));
    assertThat(valueOf("g0", "alice")).isEqualTo("90");
    assertThat(valueOf("g1", "bob")).isEqualTo("60");
    TxnRecord record = ((TxnResult.Record) groups.machine("g0").query(
        new TxnQuery.RecordOf(done.id().orElseThrow()))).record().orElseThrow();
    assertThat(record.state()).isEqualTo(TxnRecord.State.COMMITTED);
    assertThat(record.settled()).isTrue();
    assertNoLocksAnywhere();
  }

  @Test
  void aCompareThatFailsInOneGroupRunsTheFailureBranchEverywhereAndChangesNothing() {
    TxnOutcome outcome = run(coordinator("n1").execute(transfer("alice", "100", "bob", "999", 10), TIMEOUT)
        .toCompletableFuture());

    TxnOutcome.Completed done = (TxnOutcome.Completed) outcome;
    assertThat(done.succeeded()).isFalse();
    assertThat(done.results()).extracting(r -> ((OpResult.GetResult) r).keyValue().orElseThrow().key())
        .containsExactly("alice", "bob");
    assertThat(valueOf("g0", "alice")).isEqualTo("100");
    assertThat(valueOf("g1", "bob")).isEqualTo("50");
    assertNoLocksAnywhere();
  }

  @Test
  void aReadOnlyTransactionOverGroupsAnswersFromLocksHeldTogetherThenReleasesThem() {
    TxnOutcome outcome = run(coordinator("n1").execute(TxnRequest.builder()
        .then(TxnOp.get("alice"), TxnOp.get("bob")).build(), TIMEOUT).toCompletableFuture());

    TxnOutcome.Completed done = (TxnOutcome.Completed) outcome;
    assertThat(done.id()).isEmpty();
    assertThat(done.results()).hasSize(2);
    assertNoLocksAnywhere();
  }

  @Test
  void ofTwoCrossedTransfersTheYoungerDiesAndRetriesAndBothEndUpApplied() {
    TxnCoordinator n1 = coordinator("n1");
    TxnCoordinator n2 = coordinator("n2");
    TxnRequest older = TxnRequest.builder().then(TxnOp.put("alice", bytes("1")), TxnOp.put("bob", bytes("1")))
        .build();
    TxnRequest younger = TxnRequest.builder().then(TxnOp.put("bob", bytes("2")), TxnOp.put("alice", bytes("2")))
        .build();
    CompletableFuture<TxnOutcome> first = n1.execute(older, TIMEOUT).toCompletableFuture();
    groups.advance(Duration.ofMillis(1));
    CompletableFuture<TxnOutcome> second = n2.execute(younger, TIMEOUT).toCompletableFuture();
    // Cross them: the younger locks alice first, the older locks bob first. Each then meets the other's lock.
    assertThat(groups.waiting("g0")).extracting(TxnCommand::id).extracting(TxnId::node).containsExactly("n1", "n2");
    groups.deliver("g0", 1);
    groups.deliver("g1", 0);
    assertThat(lockedKeys("g0") + lockedKeys("g1")).isEqualTo(2);

    groups.run();

    TxnOutcome.Completed olderDone = (TxnOutcome.Completed) first.join();
    TxnOutcome.Completed youngerDone = (TxnOutcome.Completed) second.join();
    assertThat(olderDone.id().orElseThrow().attempt()).as("the older waited").isZero();
    assertThat(youngerDone.id().orElseThrow().attempt()).as("the younger died and retried").isPositive();
    assertThat(valueOf("g0", "alice")).isEqualTo("2");
    assertThat(valueOf("g1", "bob")).isEqualTo("2");
    assertNoLocksAnywhere();
  }

  @Test
  void aCoordinatorThatDiesAfterTheCommitPointIsFinishedByRecoveryFromTheRecord() {
    groups.dropWhen(c -> c instanceof TxnCommand.Commit commit && !commit.recordHere()
        || c instanceof TxnCommand.Settle);
    TxnOutcome outcome = run(coordinator("n1").execute(transfer("alice", "100", "bob", "50", 10), TIMEOUT)
        .toCompletableFuture());
    assertThat(outcome).isInstanceOf(TxnOutcome.Completed.class);
    assertThat(valueOf("g1", "bob")).isEqualTo("50"); // phase two never reached g1
    groups.dropWhen(c -> false);

    groups.advance(SETTINGS.resolveAfter().plusMillis(1));
    recovery().sweep();
    groups.run();

    assertThat(valueOf("g0", "alice")).isEqualTo("90");
    assertThat(valueOf("g1", "bob")).isEqualTo("60");
    assertNoLocksAnywhere();
  }

  @Test
  void aCoordinatorThatDiesBeforeTheCommitPointIsAbortedByRecoveryOnceItsLocksExpire() {
    groups.dropWhen(c -> c instanceof TxnCommand.Commit || c instanceof TxnCommand.Abort);
    CompletableFuture<TxnOutcome> orphan = coordinator("n1").execute(transfer("alice", "100", "bob", "50", 10),
        TIMEOUT).toCompletableFuture();
    groups.run(Duration.ofMillis(10));
    assertThat(orphan).isNotDone();
    groups.dropWhen(c -> false);

    recovery().sweep();
    groups.run(Duration.ofMillis(10));
    assertThat(lockedKeys("g0") + lockedKeys("g1")).as("not expired yet: left alone").isEqualTo(2);

    groups.advance(SETTINGS.lockTtl().plusMillis(1));
    recovery().sweep();
    groups.run(Duration.ofMillis(10));

    assertThat(valueOf("g0", "alice")).isEqualTo("100");
    assertThat(valueOf("g1", "bob")).isEqualTo("50");
    assertNoLocksAnywhere();
    TxnId id = groups.dropped().get(0).id();
    assertThat(((TxnResult.Record) groups.machine("g0").query(new TxnQuery.RecordOf(id))).record().orElseThrow()
        .state()).isEqualTo(TxnRecord.State.ABORTED);
  }

  @Test
  void aPlainWriteThatMeetsALockWaitsForItsTransactionToEnd() {
    groups.dropWhen(c -> c instanceof TxnCommand.Commit || c instanceof TxnCommand.Abort);
    coordinator("n1").execute(transfer("alice", "100", "bob", "50", 10), TIMEOUT);
    groups.run(Duration.ofMillis(10));
    groups.dropWhen(c -> false);

    CompletableFuture<TxnOutcome> blocked = coordinator("n2").execute(TxnRequest.builder()
        .then(TxnOp.put("alice", bytes("7"))).build(), TIMEOUT).toCompletableFuture();
    groups.run(Duration.ofMillis(500));
    assertThat(blocked).isNotDone();

    groups.run();

    assertThat(blocked.join()).isInstanceOf(TxnOutcome.Completed.class);
    assertThat(valueOf("g0", "alice")).isEqualTo("7");
    assertThat(valueOf("g1", "bob")).isEqualTo("50");
  }

  @Test
  void aCommitWhoseAnswerIsLostIsLearnedFromTheRecord() {
    groups.loseAnswers("g0", true);
    CompletableFuture<TxnOutcome> outcome = coordinator("n1").execute(
        transfer("alice", "100", "bob", "50", 10), TIMEOUT).toCompletableFuture();
    groups.run(Duration.ofMillis(50));
    groups.loseAnswers("g0", false);
    groups.run();

    assertThat(outcome.join()).isInstanceOf(TxnOutcome.Completed.class);
    assertThat(valueOf("g1", "bob")).isEqualTo("60");
  }

  @Test
  void aCommitWhoseFateCannotBeLearnedBeforeTheDeadlineEndsUnknownNamingTheTransaction() {
    CompletableFuture<TxnOutcome> outcome = coordinator("n1").execute(
        transfer("alice", "100", "bob", "50", 10), TIMEOUT).toCompletableFuture();
    groups.deliverNext("g0");
    groups.deliverNext("g1");
    groups.loseAnswers("g0", true);
    groups.unreadable("g0", true);

    groups.run();

    TxnOutcome.Unknown unknown = (TxnOutcome.Unknown) outcome.join();
    assertThat(unknown.id().group()).isEqualTo("g0");
    assertThat(unknown.reason()).contains(unknown.id().toString());
    groups.unreadable("g0", false);
    TxnRecord record = ((TxnResult.Record) groups.machine("g0").query(new TxnQuery.RecordOf(unknown.id())))
        .record().orElseThrow();
    assertThat(record.state()).isEqualTo(TxnRecord.State.COMMITTED);
  }

  @Test
  void aParticipantWithoutQuorumAbortsTheTransactionEverywhereWithItsFailure() {
    groups.unavailable("g1", true);

    TxnOutcome outcome = run(coordinator("n1").execute(transfer("alice", "100", "bob", "50", 10), TIMEOUT)
        .toCompletableFuture());

    assertThat(outcome).isInstanceOf(TxnOutcome.Aborted.class);
    assertThat(((TxnOutcome.Aborted) outcome).cause()).isInstanceOf(SimulatedGroups.NotApplied.class);
    assertThat(valueOf("g0", "alice")).isEqualTo("100");
    assertNoLocksAnywhere();
  }

  @Test
  void aOneGroupTransactionIsOneEntryAndNeedsNoRecordToCommit() {
    groups.machine("g0").apply(new KvCommand.Put("amy", bytes("5")));
    TxnOutcome outcome = run(coordinator("n1").execute(TxnRequest.builder()
        .when(Compare.value("alice", Operator.EQUAL, bytes("100")))
        .then(TxnOp.put("alice", bytes("95")), TxnOp.put("amy", bytes("10"))).build(), TIMEOUT)
        .toCompletableFuture());

    TxnOutcome.Completed done = (TxnOutcome.Completed) outcome;
    assertThat(done.twoPhase()).isFalse();
    assertThat(done.revision()).isEqualTo(3);
    assertThat(groups.machine("g0").kv().get("amy").orElseThrow().modRevision()).isEqualTo(3);
  }

  @Test
  void whatCannotRunIsRefusedBeforeAnythingIsSent() {
    TxnCoordinator coordinator = coordinator("n1");
    assertThatThrownBy(() -> coordinator.execute(TxnRequest.builder()
        .then(TxnOp.put("alice", bytes("1")), TxnOp.range("b", 10)).build(), TIMEOUT))
        .isInstanceOf(KvValidationException.class).hasMessageContaining("hash tag");
    assertThatThrownBy(() -> coordinator.execute(TxnRequest.builder()
        .then(TxnOp.put("alice", bytes("1")), TxnOp.put("bob", bytes("1")), TxnOp.get("alice")).build(), TIMEOUT))
        .isInstanceOf(KvValidationException.class).hasMessageContaining("cannot read a key its branch wrote");
    assertThatThrownBy(() -> coordinator.execute(new TxnRequest(List.of(), List.of(), List.of()), TIMEOUT))
        .isInstanceOf(KvValidationException.class);
    assertThat(groups.waiting("g0")).isEmpty();
  }

  private int lockedKeys(String group) {
    return ((TxnResult.PreparedList) groups.machine(group).query(new TxnQuery.ListPrepared(10))).lockedKeys();
  }

  private void assertNoLocksAnywhere() {
    for (String group : List.of("g0", "g1", "g2")) {
      assertThat(lockedKeys(group)).as("locked keys in " + group).isZero();
    }
  }
}
