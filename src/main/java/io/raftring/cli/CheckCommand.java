package io.raftring.cli;

import io.raftring.check.CheckResult;
import io.raftring.check.History;
import io.raftring.check.HistoryFormatException;
import io.raftring.check.HistoryReader;
import io.raftring.check.LinearizabilityChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code raftring check FILE}: the linearizability checker of io.raftring.check.CheckHistory behind the CLI, with its
 * exit codes.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check a recorded history (JSON lines) for linearizability, key by key.",
      "Exit 0 linearizable, 1 not linearizable, 2 undecided (unreadable file, or the search budget ran out)."
    })
final class CheckCommand implements Callable<Integer> {

  @ParentCommand RaftRingMain main;

  @Parameters(index = "0", paramLabel = "FILE", description = "the history, one JSON event per line")
  Path file;

  @Option(names = "--budget", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "give up (undecided) after searching this long, e.g. 60s (default: no limit)")
  Duration budget;

  @Override
  public Integer call() {
    // The same steps and verdict-to-exit-code mapping as CheckHistory.run (package-private there).
    try {
      if (!Files.isRegularFile(file)) {
        main.stderr.println("raftring check: no such file: " + file);
        return RaftRingMain.USAGE;
      }
      try {
        History history = HistoryReader.read(file);
        long start = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(budget).check(history);
        main.stdout.print(result.describe());
        main.stdout.printf("checked %s in %d ms%n", file, (System.nanoTime() - start) / 1_000_000);
        return switch (result.verdict()) {
          case LINEARIZABLE -> RaftRingMain.OK;
          case NOT_LINEARIZABLE -> RaftRingMain.REFUSED;
          case UNKNOWN -> RaftRingMain.USAGE;
        };
      } catch (HistoryFormatException e) {
        main.stderr.println("raftring check: " + e.getMessage());
        return RaftRingMain.USAGE;
      } catch (IOException e) {
        main.stderr.println("raftring check: cannot read " + file + ": " + e);
        return RaftRingMain.USAGE;
      }
    } finally {
      main.stdout.flush();
      main.stderr.flush();
    }
  }
}
