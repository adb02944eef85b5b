package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void probeSendsOneAppendAtATime() {
    Progress p = new Progress(5, 4);
    assertThat(p.mode()).isEqualTo(Progress.Mode.PROBE);
    assertThat(p.canSend()).isTrue();
    p.onSent(6);
    assertThat(p.canSend()).isFalse();
    assertThat(p.nextIndex()).isEqualTo(5);
  }

  @Test
  void anAckSwitchesToReplicateAndStreamsUpToTheInflightLimit() {
    Progress p = new Progress(5, 2);
    p.onSent(4);
    assertThat(p.onAck(4)).isTrue();
    assertThat(p.mode()).isEqualTo(Progress.Mode.REPLICATE);
    p.onSent(6);
    p.onSent(8);
    assertThat(p.canSend()).isFalse();
    assertThat(p.nextIndex()).isEqualTo(9);
    p.onAck(6);
    assertThat(p.canSend()).isTrue();
    assertThat(p.matchIndex()).isEqualTo(6);
  }

  @Test
  void aStaleAckNeverLowersMatchIndex() {
    Progress p = new Progress(1, 4);
    p.onAck(7);
    assertThat(p.onAck(3)).isFalse();
    assertThat(p.matchIndex()).isEqualTo(7);
  }

  @Test
  void aRejectionSkipsTheWholeConflictingTermTheLeaderLacks() {
    Progress p = new Progress(11, 4);
    // Follower has term 3 from index 6 on at prevIndex 10; the leader has no entry of term 3.
    assertThat(p.onReject(10, 6, 3, -1)).isTrue();
    assertThat(p.nextIndex()).isEqualTo(6);
    assertThat(p.mode()).isEqualTo(Progress.Mode.PROBE);
  }

  @Test
  void aRejectionResumesAfterTheLeadersLastEntryOfTheConflictTerm() {
    Progress p = new Progress(11, 4);
    assertThat(p.onReject(10, 6, 3, 8)).isTrue();
    assertThat(p.nextIndex()).isEqualTo(9);
  }

  @Test
  void aShortFollowerLogMovesNextToItsEnd() {
    Progress p = new Progress(11, 4);
    assertThat(p.onReject(10, 4, 0, -1)).isTrue();
    assertThat(p.nextIndex()).isEqualTo(4);
  }

  @Test
  void staleRejectionsAreIgnored() {
    Progress p = new Progress(11, 4);
    p.onReject(10, 6, 3, -1);
    assertThat(p.onReject(10, 6, 3, -1)).isFalse();
    assertThat(p.nextIndex()).isEqualTo(6);
    p.onAck(5);
    assertThat(p.onReject(4, 1, 1, -1)).isFalse();
    assertThat(p.matchIndex()).isEqualTo(5);
  }

  @Test
  void nextIndexNeverFallsBelowWhatIsKnownToMatch() {
    Progress p = new Progress(1, 4);
    p.onAck(5);
    p.onSent(9);
    assertThat(p.onReject(9, 2, 0, -1)).isTrue();
    assertThat(p.nextIndex()).isEqualTo(6);
  }
}
