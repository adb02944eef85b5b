package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftring.raft.MembershipRules.Change;
import io.raftring.raft.ReplicaProtocol.RefusalCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure membership rules: configurations, which single-server changes a leader may make, catch-up rounds. */
class MembershipRulesTest {

  private static final Configuration THREE = Configuration.ofVoters(Set.of("n1", "n2", "n3"));

  private static RefusalCode refusal(Change change, String node, Configuration c, boolean noop, boolean pending) {
    MembershipRules.Refusal r = MembershipRules.check(change, node, c, noop, pending, false);
    return r == null ? null : r.code();
  }

  @Test
  void aConfigurationRoundTripsThroughItsLogEntryBytes() {
    Configuration c = new Configuration(Set.of("n1", "n2"), Set.of("n4"));
    assertThat(Configuration.decode(c.encode())).isEqualTo(c);
    assertThat(Configuration.decode(Configuration.EMPTY.encode())).isEqualTo(Configuration.EMPTY);
    assertThat(LogEntry.config(5, 2, c).configuration()).isEqualTo(c);
  }

  @Test
  void aNodeIsNeverBothVoterAndLearner() {
    assertThatThrownBy(() -> new Configuration(Set.of("n1"), Set.of("n1"))).isInstanceOf(IllegalArgumentException.class);
    Configuration promoted = THREE.withLearner("n4").promoted("n4");
    assertThat(promoted.voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
    assertThat(promoted.learners()).isEmpty();
  }

  /** Reference: dissertation section 4.1, a leader makes no change before its term's NO-OP is committed. */
  @Test
  void noChangeBeforeTheLeadersNoopCommits() {
    assertThat(refusal(Change.ADD_LEARNER, "n4", THREE, false, false)).isEqualTo(RefusalCode.NOT_READY);
  }

  /** Reference: dissertation section 4.1, one change at a time: none while another is uncommitted. */
  @Test
  void noChangeWhileAnotherIsUncommitted() {
    assertThat(refusal(Change.REMOVE_SERVER, "n3", THREE, true, true)).isEqualTo(RefusalCode.CONFLICT);
    assertThat(MembershipRules.check(Change.ADD_LEARNER, "n4", THREE, true, false, true).code())
        .as("nor during a leadership transfer").isEqualTo(RefusalCode.CONFLICT);
  }

  @Test
  void impossibleChangesAreBadRequests() {
    Configuration one = Configuration.ofVoters(Set.of("n1"));
    assertThat(refusal(Change.REMOVE_SERVER, "n1", one, true, false)).as("the last voter").isEqualTo(RefusalCode.BAD_REQUEST);
    assertThat(refusal(Change.PROMOTE_LEARNER, "n4", THREE, true, false)).as("not a learner").isEqualTo(RefusalCode.BAD_REQUEST);
    assertThat(refusal(Change.ADD_LEARNER, "n2", THREE, true, false)).as("already a voter").isEqualTo(RefusalCode.BAD_REQUEST);
    assertThat(refusal(Change.ADD_LEARNER, "a,b", THREE, true, false)).as("bad name").isEqualTo(RefusalCode.BAD_REQUEST);
  }

  @Test
  void aChangeAlreadyInEffectIsAllowedAndNeedsNoEntry() {
    Configuration withLearner = THREE.withLearner("n4");
    assertThat(refusal(Change.ADD_LEARNER, "n4", withLearner, true, false)).isNull();
    assertThat(MembershipRules.alreadyInEffect(Change.ADD_LEARNER, "n4", withLearner)).isTrue();
    assertThat(refusal(Change.REMOVE_SERVER, "n9", THREE, true, false)).as("removing a non-member: done already").isNull();
    assertThat(MembershipRules.alreadyInEffect(Change.REMOVE_SERVER, "n9", THREE)).isTrue();
    assertThat(MembershipRules.alreadyInEffect(Change.PROMOTE_LEARNER, "n1", THREE)).isTrue();
    assertThat(MembershipRules.apply(Change.REMOVE_SERVER, "n1", THREE).voters()).containsExactlyInAnyOrder("n2", "n3");
  }

  /** Reference: dissertation section 4.2.1, a learner is caught up once a replication round takes under a timeout. */
  @Test
  void aLearnerIsCaughtUpWhenARoundCompletesWithinTheElectionTimeout() {
    CatchUp c = new CatchUp(100, 0, 150);
    assertThat(c.onProgress(50, 120, 100)).isFalse();
    assertThat(c.onProgress(100, 180, 400)).as("the first round took 400 > 150").isFalse();
    assertThat(c.rounds()).isEqualTo(1);
    assertThat(c.onProgress(170, 200, 500)).as("short of the second round's target").isFalse();
    assertThat(c.onProgress(180, 200, 500)).as("the second round took 100").isTrue();
    assertThat(c.caughtUp()).isTrue();
  }

  /** Reference: dissertation section 4.1, the configuration in force is the latest in the log, committed or not. */
  @Test
  void theLatestConfigurationInTheLogIsInForceAndATruncatedOneIsUndone() {
    RaftLog log = new RaftLog(THREE);
    assertThat(log.configuration()).isEqualTo(THREE);
    Configuration four = THREE.withLearner("n4");
    log.truncateAndAppend(1,
        List.of(LogEntry.noop(1, 1), LogEntry.config(2, 1, four), LogEntry.command(3, 1, new byte[0])));
    assertThat(log.configuration()).isEqualTo(four);
    assertThat(log.configurationIndex()).isEqualTo(2);
    log.truncateAndAppend(2, List.of(LogEntry.command(2, 2, new byte[0])));
    assertThat(log.configuration()).as("back to the bootstrap configuration").isEqualTo(THREE);
    assertThat(log.configurationIndex()).isZero();
  }

  /** Reference: section 7, a snapshot records the configuration at its last included index, learners included. */
  @Test
  void aSnapshotKeepsTheConfigurationItCovers() {
    RaftLog log = new RaftLog(THREE);
    Configuration four = THREE.withLearner("n4");
    Configuration five = four.promoted("n4");
    log.truncateAndAppend(1, List.of(LogEntry.config(1, 1, four), LogEntry.config(2, 1, five)));
    assertThat(log.configurationAt(1)).isEqualTo(four);
    SnapshotMeta meta = new SnapshotMeta(1, 1, List.copyOf(four.voters()), "f", 0, 0, List.copyOf(four.learners()));
    log.installSnapshot(meta);
    assertThat(log.configuration()).isEqualTo(five);
    log.truncateAndAppend(2, List.of(LogEntry.command(2, 2, new byte[0])));
    assertThat(log.configuration()).as("the snapshot's configuration, learners included").isEqualTo(four);

    DurableLog storage = new DurableLog();
    storage.apply(new RaftEvent.SnapshotInstalled(meta));
    storage.apply(new RaftEvent.EntriesAppended(2, List.of(LogEntry.command(2, 2, new byte[0]))));
    RaftCore recovered = new RaftCore("n1", Configuration.EMPTY, RaftSettings.defaults(), storage.toDurable(),
        () -> 0, "n1");
    assertThat(recovered.currentConfiguration()).isEqualTo(four);
  }
}
