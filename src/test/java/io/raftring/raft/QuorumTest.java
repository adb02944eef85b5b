package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumTest {

  @Test
  void majorityIsMoreThanHalf() {
    assertThat(Quorum.majority(1)).isEqualTo(1);
    assertThat(Quorum.majority(2)).isEqualTo(2);
    assertThat(Quorum.majority(3)).isEqualTo(2);
    assertThat(Quorum.majority(4)).isEqualTo(3);
    assertThat(Quorum.majority(5)).isEqualTo(3);
    assertThatThrownBy(() -> Quorum.majority(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyVotersCountTowardAMajority() {
    Set<String> voters = Set.of("a", "b", "c");
    assertThat(Quorum.isMajority(List.of("a", "b"), voters)).isTrue();
    assertThat(Quorum.isMajority(List.of("a", "x", "y"), voters)).isFalse();
    assertThat(Quorum.isMajority(List.of("a", "a"), voters)).isFalse();
  }

  @Test
  void quorumIndexIsTheHighestIndexAMajorityStored() {
    Set<String> voters = Set.of("a", "b", "c", "d", "e");
    assertThat(Quorum.quorumIndex(Map.of("a", 9L, "b", 7L, "c", 5L, "d", 3L, "e", 1L), voters)).isEqualTo(5);
    assertThat(Quorum.quorumIndex(Map.of("a", 9L, "b", 9L), voters)).isEqualTo(0);
    assertThat(Quorum.quorumIndex(Map.of("a", 4L, "b", 4L, "c", 4L), voters)).isEqualTo(4);
  }

  @Test
  void nonVotersDoNotRaiseTheQuorumIndex() {
    Set<String> voters = Set.of("a", "b", "c");
    assertThat(Quorum.quorumIndex(Map.of("a", 9L, "learner", 9L, "b", 1L, "c", 1L), voters)).isEqualTo(1);
  }
}
