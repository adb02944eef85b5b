package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.api.TxnApi;
import io.raftring.api.TxnStatus;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import io.raftring.ring.GroupPlacement;
import io.raftring.txn.Compare;
import io.raftring.txn.GroupClient;
import io.raftring.txn.OpResult;
import io.raftring.txn.TxnCodec;
import io.raftring.txn.TxnCommand;
import io.raftring.txn.TxnId;
import io.raftring.txn.TxnOp;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import io.raftring.txn.TxnResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions on three nodes in one JVM serving four groups: concurrent transfers between accounts in different
 * groups keep the total, read-only transactions never see half a transfer, a failed compare changes nothing, and a
 * coordinator that stops mid-commit (played by hand: its prepares and commit proposed directly) is finished by
 * recovery, both after and before its commit point.
 */
class TxnClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int ACCOUNTS = 6;
  private static final int OPENING_BALANCE = 100;
  private static LocalCluster cluster;
  private static ActorTestKit kit;
  private static GroupPlacement placement;
  private static final List<String> accounts = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // Short lock promises and sweeps, so recovery shows within the test's patience.
    cluster = LocalCluster.start(List.of("n1", "n2", "n3"), 4, ConfigFactory.parseString(
        "raftring.txn { lock-ttl = 1s, recovery-interval = 200ms, resolve-after = 300ms }"));
    kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
      for (String name : cluster.names()) {
        assertThat(cluster.node(name).raftRing().notReadyReason()).as(name).isEmpty();
      }
      return null;
    });
    placement = cluster.node("n1").raftRing().placement();
    for (int i = 0; accounts.size() < ACCOUNTS; i++) {
      accounts.add("acct/" + i);
    }
    assertThat(accounts.stream().map(placement::groupOf).distinct().count()).as("groups of the accounts")
        .isGreaterThan(1);
    for (String account : accounts) {
      await(kv("n1").write(new KvCommand.Put(account, bytes(Integer.toString(OPENING_BALANCE))), TIMEOUT));
    }
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    kit.shutdownTestKit();
  }

  private static io.raftring.api.KvApi kv(String node) {
    return cluster.node(node).raftRing().kv();
  }

  private static TxnApi txn(String node) {
    return cluster.node(node).raftRing().txn();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  private static int balance(KeyValue kv) {
    return Integer.parseInt(new String(kv.value(), StandardCharsets.UTF_8));
  }

  /** A read-only transaction over every account: one snapshot. */
  private static List<KeyValue> snapshot(String node) {
    TxnRequest.Builder read = TxnRequest.builder();
    accounts.forEach(a -> read.then(TxnOp.get(a)));
    TxnOutcome.Completed done = await(txn(node).execute(read.build(), TIMEOUT));
    return done.results().stream().map(r -> ((OpResult.GetResult) r).keyValue().orElseThrow()).toList();
  }

  @Test
  void concurrentTransfersBetweenGroupsKeepTheTotalInEverySnapshot() {
    int total = ACCOUNTS * OPENING_BALANCE;
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger transfers = new AtomicInteger();
    AtomicInteger snapshots = new AtomicInteger();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      String node = cluster.names().get(c);
      Random random = new Random(c);
      clients.add(CompletableFuture.runAsync(() -> {
        for (int done = 0; done < 12 && System.nanoTime() < until; ) {
          int from = random.nextInt(ACCOUNTS);
          int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
          if (transfer(node, accounts.get(from), accounts.get(to), 1 + random.nextInt(5))) {
            done++;
            transfers.incrementAndGet();
          }
        }
      }));
    }
    clients.add(CompletableFuture.runAsync(() -> {
      while (System.nanoTime() < until && clients.stream().limit(3).anyMatch(f -> !f.isDone())) {
        try {
          int sum = snapshot("n2").stream().mapToInt(TxnClusterTest::balance).sum();
          snapshots.incrementAndGet();
          if (sum != total) {
            problems.add("a snapshot summed to " + sum);
          }
        } catch (RuntimeException e) {
          if (!isRefusedForNow(e)) {
            problems.add("snapshot failed: " + e);
          }
        }
      }
    }));
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();

    System.out.printf("transfers: %d, snapshots: %d%n", transfers.get(), snapshots.get());
    assertThat(problems).isEmpty();
    assertThat(transfers.get()).isPositive();
    assertThat(snapshots.get()).isPositive();
    assertThat(snapshot("n3").stream().mapToInt(TxnClusterTest::balance).sum()).isEqualTo(total);
    int plainSum = 0;
    for (String account : accounts) {
      KvResult read = await(kv("n1").read(new KvQuery.Get(account), ReadConsistency.LINEARIZABLE, TIMEOUT))
          .result();
      plainSum += balance(((KvResult.Found) read).keyValue());
    }
    assertThat(plainSum).as("every committed transfer visible to plain reads").isEqualTo(total);
  }

  /** Reads both balances in one snapshot, then moves {@code amount} if neither changed since; true if it did. */
  private static boolean transfer(String node, String from, String to, int amount) {
    try {
      TxnOutcome.Completed seen = await(txn(node).execute(TxnRequest.builder()
          .then(TxnOp.get(from), TxnOp.get(to)).build(), TIMEOUT));
      KeyValue a = ((OpResult.GetResult) seen.results().get(0)).keyValue().orElseThrow();
      KeyValue b = ((OpResult.GetResult) seen.results().get(1)).keyValue().orElseThrow();
      TxnOutcome.Completed moved = await(txn(node).newTxn()
          .when(Compare.modRevision(from, Compare.Operator.EQUAL, a.modRevision()),
              Compare.modRevision(to, Compare.Operator.EQUAL, b.modRevision()))
          .then(TxnOp.put(from, bytes(Integer.toString(balance(a) - amount))),
              TxnOp.put(to, bytes(Integer.toString(balance(b) + amount))))
          .commit(TIMEOUT));
      return moved.succeeded();
    } catch (RuntimeException e) {
      if (isRefusedForNow(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Answers a loaded machine may give (another transaction's locks, a full replica queue, a deadline that passed):
   * the claims here are about what is applied, not about availability, so such a request is simply not counted.
   */
  private static boolean isRefusedForNow(Throwable e) {
    RaftRingException api = RaftRingException.find(e);
    return api != null && (api.code() == ErrorCode.CONFLICT || api.code() == ErrorCode.OVERLOADED
        || api.code() == ErrorCode.NO_QUORUM || api.code() == ErrorCode.TIMEOUT);
  }

  @Test
  void aTransactionWhoseCompareFailsRunsItsFailureBranchAndChangesNothing() {
    Map<String, KeyValue> before = new LinkedHashMap<>();
    List<KeyValue> all = snapshot("n1");
    for (int i = 0; i < ACCOUNTS; i++) {
      before.put(accounts.get(i), all.get(i));
    }

    TxnOutcome.Completed outcome = await(txn("n2").newTxn()
        .when(Compare.value(accounts.get(0), Compare.Operator.EQUAL, bytes("not the balance")))
        .then(TxnOp.put(accounts.get(0), bytes("0")), TxnOp.put(accounts.get(1), bytes("0")))
        .otherwise(TxnOp.get(accounts.get(0)))
        .commit(TIMEOUT));

    assertThat(outcome.succeeded()).isFalse();
    assertThat(((OpResult.GetResult) outcome.results().get(0)).keyValue()).contains(before.get(accounts.get(0)));
    assertThat(snapshot("n3")).containsExactlyElementsOf(before.values());
  }

  @Test
  void keysSharingAHashTagCommitInOneEntryOfOneGroup() {
    TxnOutcome.Completed outcome = await(txn("n3").newTxn()
        .then(TxnOp.put("{cart-7}/items", bytes("3")), TxnOp.put("{cart-7}/total", bytes("42")))
        .commit(TIMEOUT));

    assertThat(outcome.twoPhase()).isFalse();
    assertThat(outcome.group()).isEqualTo(placement.groupOf("cart-7"));
    assertThat(outcome.results()).allSatisfy(r -> assertThat(((OpResult.PutResult) r).revision())
        .isEqualTo(outcome.revision()));
    assertThat(kv("n1").explain("{cart-7}/items").hashTag()).isEqualTo("cart-7");
  }

  @Test
  void aCoordinatorThatStopsAfterItsCommitPointIsFinishedByRecoveryAndItsCommitIsVisible() {
    String[] pair = accountsInTwoGroups();
    GroupClient groups = cluster.node("n1").raftRing().groupClient();
    TxnId id = new TxnId(placement.groupOf(pair[0]), System.currentTimeMillis(), 9_000_001, 0, "gone");
    long expires = System.currentTimeMillis() + 1_000;
    prepare(groups, id, pair[0], true, List.of(placement.groupOf(pair[0]), placement.groupOf(pair[1])), expires);
    prepare(groups, id, pair[1], false, List.of(), expires);
    TxnResult committed = TxnCodec.decodeResult(await(groups.propose(id.group(),
        TxnCodec.encode(new TxnCommand.Commit(id, System.currentTimeMillis(), true, true)), TIMEOUT)));
    assertThat(committed).isInstanceOf(TxnResult.Committed.class);

    // The commit is acknowledged: a strong read of the other group's key sees it at once, resolving the lock.
    KvResult read = await(kv("n2").read(new KvQuery.Get(pair[1]), ReadConsistency.LINEARIZABLE, TIMEOUT)).result();
    assertThat(new String(((KvResult.Found) read).keyValue().value(), StandardCharsets.UTF_8)).isEqualTo("moved");
    assertThat(await(txn("n3").status(id.toString(), TIMEOUT)).state()).isEqualTo("committed");
    awaitNoLocks();
  }

  @Test
  void aCoordinatorThatStopsBeforeItsCommitPointIsAbortedByRecoveryOnceItsLocksExpire() {
    String[] pair = accountsInTwoGroups();
    List<KeyValue> before = snapshot("n1");
    GroupClient groups = cluster.node("n2").raftRing().groupClient();
    TxnId id = new TxnId(placement.groupOf(pair[0]), System.currentTimeMillis(), 9_000_002, 0, "gone");
    long expires = System.currentTimeMillis() + 3_000;
    prepare(groups, id, pair[0], true, List.of(placement.groupOf(pair[0]), placement.groupOf(pair[1])), expires);
    prepare(groups, id, pair[1], false, List.of(), expires);

    // A plain write meets the lock and waits (here beyond its deadline: 409 naming the transaction).
    assertThatThrownBy(() -> await(kv("n3").write(new KvCommand.Put(pair[1], bytes("blocked")),
        Duration.ofSeconds(1))))
        .satisfies(e -> {
          assertThat(RaftRingException.find(e).code()).isEqualTo(ErrorCode.CONFLICT);
          assertThat(RaftRingException.find(e).txnId()).isEqualTo(id.toString());
        });

    awaitNoLocks();
    assertThat(snapshot("n1")).containsExactlyElementsOf(before);
    TxnStatus status = await(txn("n3").status(id.toString(), TIMEOUT));
    assertThat(status.state()).isEqualTo("aborted");
  }

  private static void prepare(GroupClient groups, TxnId id, String key, boolean recordHere, List<String> participants,
      long expiresAt) {
    TxnResult prepared = TxnCodec.decodeResult(await(groups.propose(placement.groupOf(key), TxnCodec.encode(
        new TxnCommand.Prepare(id, System.currentTimeMillis(), expiresAt, recordHere, participants,
            TxnRequest.builder().then(TxnOp.put(key, bytes("moved"))).build())), TIMEOUT)));
    assertThat(prepared).isInstanceOf(TxnResult.Prepared.class);
  }

  /** Two keys of their own (not the accounts), in different groups. */
  private static String[] accountsInTwoGroups() {
    String first = "orphan/" + System.nanoTime();
    for (int i = 0; ; i++) {
      String second = "orphan/" + i + "/" + System.nanoTime();
      if (!placement.groupOf(second).equals(placement.groupOf(first))) {
        return new String[] {first, second};
      }
    }
  }

  private static void awaitNoLocks() {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(100), () -> {
      GroupClient groups = cluster.node("n1").raftRing().groupClient();
      for (String group : placement.groups()) {
        TxnResult list = TxnCodec.decodeResult(await(groups.read(group,
            TxnCodec.encode(new io.raftring.txn.TxnQuery.ListPrepared(10)), TIMEOUT)));
        assertThat(((TxnResult.PreparedList) list).lockedKeys()).as("locked keys in " + group).isZero();
      }
      return null;
    });
  }
}
