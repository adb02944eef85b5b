package io.raftring.cli;

import java.io.IOException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring cas KEY --expect V NEWVALUE}: compare-and-set, a put with a condition that must be given. */
@Command(
    name = "cas",
    mixinStandardHelpOptions = true,
    description = {
      "Compare-and-set: set KEY to NEWVALUE only if its value is --expect V or its mod_revision is --prev-revision N.",
      "NEWVALUE '-' reads stdin. Exit 0 when swapped, 1 when the condition did not hold (CONFLICT), 2 bad usage,"
          + " 3 server error."
    })
final class CasCommand extends ClientCommand {

  static final class Expectation {
    @Option(names = "--expect", paramLabel = "V", description = "the value KEY must have now")
    String expectedValue;

    @Option(names = "--prev-revision", paramLabel = "N",
        description = "the mod_revision KEY must have now (0: KEY must not exist)")
    Long prevRevision;
  }

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Parameters(index = "1", paramLabel = "NEWVALUE", description = "the new value, or - for stdin")
  String newValue;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Expectation expectation;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    byte[] value = valueBytes(newValue);
    String[] condition = {
      "prev_revision", expectation.prevRevision == null ? null : expectation.prevRevision.toString(),
      "prev_value", expectation.expectedValue
    };
    return write(client, "PUT", key, value, condition, json);
  }
}
