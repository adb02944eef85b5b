package io.raftring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.dashboard.NodeStates.Member;
import io.raftring.dashboard.NodeStates.Membership;
import io.raftring.dashboard.NodeStates.NodeState;
import io.raftring.dashboard.NodeStates.State;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeStatesTest {

  private static final List<String> CONFIGURED = List.of("n1", "n2", "n3");
  private static final Map<String, String> LEADERS = Map.of("g0", "n1", "g1", "n1", "g2", "n2");
  private static final Map<String, List<String>> REPLICAS = Map.of(
      "g0", List.of("n1", "n2", "n3"), "g1", List.of("n1", "n2", "n3"), "g2", List.of("n1", "n2", "n4"));

  private static Map<String, State> states(Map<String, Member> members, Set<String> decommissioned) {
    Map<String, State> byNode = new java.util.TreeMap<>();
    NodeStates.of(new NodeStates.Observed(CONFIGURED, members, decommissioned, Map.of(), LEADERS, REPLICAS))
        .forEach(s -> byNode.put(s.node(), s.state()));
    return byNode;
  }

  private static Member up() {
    return new Member(Membership.UP, true);
  }

  @Test
  void everyReachableUpMemberIsUp() {
    assertThat(states(Map.of("n1", up(), "n2", up(), "n3", up()), Set.of()))
        .containsExactly(Map.entry("n1", State.UP), Map.entry("n2", State.UP), Map.entry("n3", State.UP));
  }

  @Test
  void aConfiguredNodeThatIsNoMemberIsAbsentWithHowLongThePlacementDriverMissedIt() {
    List<NodeState> states = NodeStates.of(new NodeStates.Observed(CONFIGURED, Map.of("n1", up(), "n2", up()),
        Set.of(), Map.of("n3", 12L), LEADERS, REPLICAS));

    assertThat(states).filteredOn(s -> s.node().equals("n3")).singleElement()
        .isEqualTo(new NodeState("n3", State.ABSENT, 12, 0, 2));
  }

  @Test
  void aMemberThisNodeCannotReachIsUnreachableWhateverItsStatus() {
    Map<String, State> states = states(
        Map.of("n1", up(), "n2", new Member(Membership.UP, false), "n3", new Member(Membership.LEAVING, false)),
        Set.of("n2"));

    assertThat(states).containsEntry("n2", State.UNREACHABLE).containsEntry("n3", State.UNREACHABLE);
  }

  @Test
  void aDecommissionedMemberStillUpIsDecommissioning() {
    assertThat(states(Map.of("n1", up(), "n2", up(), "n3", up()), Set.of("n3")))
        .containsEntry("n3", State.DECOMMISSIONING);
  }

  @Test
  void membersOnTheirWayInOrOutSayWhere() {
    Map<String, State> states = states(Map.of("n1", up(), "n2", new Member(Membership.JOINING, true),
        "n3", new Member(Membership.DOWN, true), "n5", new Member(Membership.LEAVING, true)), Set.of());

    assertThat(states).containsEntry("n2", State.JOINING).containsEntry("n3", State.DOWN)
        .containsEntry("n5", State.LEAVING);
  }

  @Test
  void nodesNamedOnlyInAGroupsConfigurationAreListedTooWithWhatTheyLeadAndHost() {
    List<NodeState> states = NodeStates.of(new NodeStates.Observed(List.of("n1", "n2", "n3", "n4"),
        Map.of("n1", up(), "n2", up(), "n3", up(), "n4", up()), Set.of(), Map.of(), LEADERS, REPLICAS));

    assertThat(states).extracting(NodeState::node, NodeState::leads, NodeState::hosts).containsExactly(
        org.assertj.core.groups.Tuple.tuple("n1", 2, 3), org.assertj.core.groups.Tuple.tuple("n2", 1, 3),
        org.assertj.core.groups.Tuple.tuple("n3", 0, 2), org.assertj.core.groups.Tuple.tuple("n4", 0, 1));
  }
}
