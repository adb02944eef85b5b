package io.raftring.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class CheckHistoryTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CheckHistory.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String resource(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(CheckHistoryTest.class.getResource("/histories/" + name)).toURI())
        .toString();
  }

  @Test
  void exitsZeroAndSaysSoForALinearizableHistory() throws Exception {
    assertThat(run(resource("linearizable.jsonl"))).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("LINEARIZABLE: 2 keys");
  }

  @Test
  void exitsOneAndShowsTheViolationForAStaleRead() throws Exception {
    assertThat(run(resource("stale-read.jsonl"))).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("NOT LINEARIZABLE: 1 of 2 keys")
        .contains("key \"x\": process 1's read -> \"a\" cannot be linearized");
  }

  @Test
  void exitsTwoWithTheLineNumberForAMalformedHistory() throws Exception {
    assertThat(run(resource("malformed.jsonl"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("malformed.jsonl line 2: \"time\" must be an integer");
  }

  @Test
  void exitsTwoWithUsageWhenGivenNoFile() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: CheckHistory");
  }
}
