package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `raftring check FILE` keeps CheckHistory's verdicts and exit codes. */
class CheckCommandTest {

  private static CliRun check(String history) {
    return CliRun.of("check", Path.of("src/test/resources/histories", history).toString());
  }

  @Test
  void aLinearizableHistoryExits0() {
    CliRun r = check("linearizable.jsonl");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("checked");
  }

  @Test
  void aStaleReadExits1() {
    assertThat(check("stale-read.jsonl").exitCode()).isEqualTo(1);
  }

  @Test
  void anUnreadableHistoryExits2() {
    assertThat(check("malformed.jsonl").exitCode()).isEqualTo(2);
    assertThat(check("absent.jsonl").exitCode()).isEqualTo(2);
  }
}
