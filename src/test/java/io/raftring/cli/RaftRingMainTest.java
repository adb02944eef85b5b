package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RaftRingMainTest {

  @Test
  void listsEveryCommand() {
    CliRun r = CliRun.of("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("node", "local", "put", "get", "del", "cas", "range", "status", "bft", "check");
  }

  @Test
  void noCommandOrAnUnknownOneIsBadUsage() {
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
    CliRun unknown = CliRun.of("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("frobnicate");
  }

  @Test
  void bftIsRegistered() {
    CliRun r = CliRun.of("bft", "--n", "4", "--m", "1");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("OM(1) with n=4 generals");
  }

  @Test
  void durationsReadTheWayPeopleTypeThem() {
    assertThat(DurationConverter.parse("500ms")).hasMillis(500);
    assertThat(DurationConverter.parse("10s")).hasSeconds(10);
    assertThat(DurationConverter.parse("2m")).hasMinutes(2);
    assertThat(DurationConverter.parse("PT1S")).hasSeconds(1);
  }
}
