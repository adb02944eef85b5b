package io.raftring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BftCommandTest {
  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new BftCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void printsATableOfDecisionsAndTheConditions() {
    Outcome o = execute("--algorithm", "om", "--n", "4", "--m", "1", "--traitors", "2");
    assertThat(o.exitCode()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("OM(1) with n=4 generals")
        .containsPattern("0\\s+commander\\s+loyal\\s+attack")
        .containsPattern("2\\s+lieutenant\\s+traitor\\s+-")
        .containsPattern("3\\s+lieutenant\\s+loyal\\s+attack")
        .contains("IC1 (loyal lieutenants agree):          holds")
        .contains("messages: 9 (closed form 9), rejected: 0, rounds: 2")
        .doesNotContain("round 1:");
  }

  @Test
  void printsTheMessageRoundsWithTrace() {
    Outcome o = execute("--algorithm", "sm", "--n", "3", "--m", "1", "--traitors", "1", "--strategy", "forging",
        "--trace");
    assertThat(o.exitCode()).as(o.err()).isZero();
    assertThat(o.out()).contains("round 1:", "round 2:", "0 -> 1", "rejected (bad signature of general 0)");
  }

  @Test
  void showsTheThreeGeneralFailureWhenUnsafe() {
    Outcome o = execute("--n", "3", "--m", "1", "--traitors", "2", "--unsafe");
    assertThat(o.exitCode()).isZero();
    assertThat(o.out()).contains("warning:").contains("VIOLATED");
  }

  @Test
  void badArgumentsExitWith2() {
    assertThat(execute("--n", "3", "--m", "1").exitCode()).isEqualTo(2);
    Outcome range = execute("--n", "4", "--traitors", "9");
    assertThat(range.exitCode()).isEqualTo(2);
    assertThat(range.err()).contains("traitor id 9 is out of range");
    assertThat(execute("--strategy", "sneaky").exitCode()).isEqualTo(2);
    assertThat(execute("--n", "four").exitCode()).isEqualTo(2);
    assertThat(execute("--bogus").exitCode()).isEqualTo(2);
  }
}
