package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reference: sections 5.2 and 5.4.1 of the Raft paper; section 9.6 of the dissertation (pre-vote). */
class VoteRulesTest {

  @Test
  void aHigherLastTermIsMoreUpToDateWhateverTheLength() {
    assertThat(VoteRules.isAtLeastAsUpToDate(3, 1, 2, 100)).isTrue();
    assertThat(VoteRules.isAtLeastAsUpToDate(2, 100, 3, 1)).isFalse();
  }

  @Test
  void withEqualLastTermsTheLongerLogIsMoreUpToDate() {
    assertThat(VoteRules.isAtLeastAsUpToDate(2, 5, 2, 5)).isTrue();
    assertThat(VoteRules.isAtLeastAsUpToDate(2, 6, 2, 5)).isTrue();
    assertThat(VoteRules.isAtLeastAsUpToDate(2, 4, 2, 5)).isFalse();
  }

  @Test
  void oneVotePerTermFirstComeFirstServed() {
    assertThat(VoteRules.grantsVote(5, null, 5, "a", 1, 1, 1, 1)).isTrue();
    assertThat(VoteRules.grantsVote(5, "a", 5, "b", 1, 1, 1, 1)).isFalse();
    assertThat(VoteRules.grantsVote(5, "a", 5, "a", 1, 1, 1, 1)).isTrue();
  }

  @Test
  void aVoteInAnEarlierTermDoesNotBindALaterOne() {
    assertThat(VoteRules.grantsVote(5, "a", 6, "b", 1, 1, 1, 1)).isTrue();
  }

  @Test
  void aStaleTermIsRefused() {
    assertThat(VoteRules.grantsVote(5, null, 4, "a", 9, 9, 1, 1)).isFalse();
  }

  @Test
  void aLessCompleteCandidateIsRefused() {
    assertThat(VoteRules.grantsVote(5, null, 6, "a", 2, 10, 3, 1)).isFalse();
  }

  @Test
  void preVoteIsRefusedWhileTheVoterHearsFromALeader() {
    assertThat(VoteRules.grantsPreVote(5, false, 6, 1, 1, 1, 1)).isTrue();
    assertThat(VoteRules.grantsPreVote(5, true, 6, 1, 1, 1, 1)).isFalse();
    assertThat(VoteRules.grantsPreVote(5, false, 5, 1, 1, 1, 1)).isFalse();
    assertThat(VoteRules.grantsPreVote(5, false, 6, 1, 1, 2, 1)).isFalse();
  }
}
