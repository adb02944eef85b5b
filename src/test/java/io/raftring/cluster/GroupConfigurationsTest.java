package io.raftring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.ReplicaId;
import io.raftring.raft.RoleName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A node's knowledge of where each group lives: leaders' reports only, newest term wins, the ring until then. */
class GroupConfigurationsTest {

  private long now = 100;
  private final GroupConfigurations configurations =
      new GroupConfigurations(group -> List.of("n1", "n2", "n3"), () -> now);

  private static ReplicaProtocol.Status status(String node, RoleName role, long term, Set<String> voters,
      Set<String> learners) {
    return new ReplicaProtocol.Status(new ReplicaId("g0", node), role, term, role == RoleName.LEADER ? node : null, 0, 0,
        0, 0, voters, 0, learners, 7, false, null, false);
  }

  @Test
  void untilALeaderReportsTheGroupIsWhereTheBootstrapRingPutIt() {
    assertThat(configurations.view("g0")).isNull();
    assertThat(configurations.membersOf("g0")).containsExactly("n1", "n2", "n3");
    assertThat(configurations.hosts("g0", "n4")).isFalse();
  }

  @Test
  void aLeadersReportReplacesTheRingAndNamesLearnersAfterVoters() {
    configurations.learn("g0", status("n2", RoleName.LEADER, 3, Set.of("n2", "n3", "n4"), Set.of("n1")));
    assertThat(configurations.membersOf("g0")).containsExactly("n2", "n3", "n4", "n1");
    assertThat(configurations.hosts("g0", "n4")).isTrue();
    assertThat(configurations.view("g0").seenAtNanos()).isEqualTo(100);
    assertThat(configurations.nodesInConfigurations()).containsExactly("n1", "n2", "n3", "n4");
  }

  @Test
  void aFollowersOrAnOlderTermsReportIsIgnored() {
    configurations.learn("g0", status("n2", RoleName.LEADER, 3, Set.of("n2", "n3", "n4"), Set.of()));
    configurations.learn("g0", status("n1", RoleName.FOLLOWER, 9, Set.of("n1", "n2", "n3"), Set.of()));
    configurations.learn("g0", status("n1", RoleName.LEADER, 2, Set.of("n1", "n2", "n3"), Set.of()));
    assertThat(configurations.view("g0").leader()).isEqualTo("n2");
    now = 200;
    configurations.learn("g0", status("n3", RoleName.LEADER, 4, Set.of("n2", "n3", "n5"), Set.of()));
    assertThat(configurations.view("g0").leader()).isEqualTo("n3");
    assertThat(configurations.hosts("g0", "n4")).isFalse();
  }
}
