package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LateHeartbeatsTest {

  private static final long MS = 1_000_000;

  private final LateHeartbeats beats = new LateHeartbeats(50 * MS, 5_000 * MS);

  @Test
  void beatsUpToTwiceTheIntervalApartAreOnTime() {
    beats.started(1_050 * MS);
    assertThat(beats.fired(1_050 * MS)).isNull();
    assertThat(beats.fired(1_150 * MS)).isNull();
    assertThat(beats.fired(1_160 * MS)).isNull();
  }

  @Test
  void theFirstBeatIsLateAgainstTheBeatBeforeItThatNeverFired() {
    beats.started(1_050 * MS);
    assertThat(beats.fired(1_170 * MS)).isEqualTo(new LateHeartbeats.Late(170 * MS, 0));
  }

  @Test
  void lateBeatsAreToldAtMostOncePerPeriodWithTheCountOfThoseInBetween() {
    beats.started(1_050 * MS);
    assertThat(beats.fired(1_050 * MS)).isNull();
    assertThat(beats.fired(1_250 * MS)).isEqualTo(new LateHeartbeats.Late(200 * MS, 0));
    assertThat(beats.fired(1_400 * MS)).isNull();
    assertThat(beats.fired(1_450 * MS)).isNull();
    assertThat(beats.fired(2_000 * MS)).isNull();

    assertThat(beats.fired(6_300 * MS)).isEqualTo(new LateHeartbeats.Late(4_300 * MS, 2));
    assertThat(beats.fired(6_350 * MS)).isNull();
  }

  @Test
  void aRestartedTimerIsNotLateForTheTimeItWasStopped() {
    beats.started(1_050 * MS);
    assertThat(beats.fired(1_050 * MS)).isNull();
    beats.started(9_000 * MS);
    assertThat(beats.fired(9_000 * MS)).isNull();
  }
}
