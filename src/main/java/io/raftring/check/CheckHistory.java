package io.raftring.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Command line: {@code java io.raftring.check.CheckHistory history.jsonl [budget-seconds]}. Prints the verdict and
 * exits 0 when linearizable, 1 when not, 2 when it could not tell (unreadable file, or search budget exhausted).
 */
public final class CheckHistory {

  static final int LINEARIZABLE = 0;
  static final int NOT_LINEARIZABLE = 1;
  static final int UNDECIDED = 2;

  private CheckHistory() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2) {
      err.println("usage: CheckHistory <history.jsonl> [search budget in seconds]");
      return UNDECIDED;
    }
    Path file = Path.of(args[0]);
    if (!Files.isRegularFile(file)) {
      err.println("no such file: " + file);
      return UNDECIDED;
    }
    try {
      Duration budget = args.length == 2 ? Duration.ofSeconds(Long.parseLong(args[1])) : null;
      History history = HistoryReader.read(file);
      long start = System.nanoTime();
      CheckResult result = new LinearizabilityChecker(budget).check(history);
      out.print(result.describe());
      out.printf("checked %s in %d ms%n", file, (System.nanoTime() - start) / 1_000_000);
      return switch (result.verdict()) {
        case LINEARIZABLE -> LINEARIZABLE;
        case NOT_LINEARIZABLE -> NOT_LINEARIZABLE;
        case UNKNOWN -> UNDECIDED;
      };
    } catch (HistoryFormatException | NumberFormatException e) {
      err.println(e.getMessage());
      return UNDECIDED;
    } catch (IOException e) {
      err.println("cannot read " + file + ": " + e);
      return UNDECIDED;
    }
  }
}
