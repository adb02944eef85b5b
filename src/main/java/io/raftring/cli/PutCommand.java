package io.raftring.cli;

import java.io.IOException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring put KEY VALUE}: sets a key, optionally only if a condition holds (compare-and-set). */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Set KEY to VALUE (PUT /v1/kv/KEY). VALUE '-' reads the value from stdin.",
      "Exit 0 when written, 1 when the condition did not hold (CONFLICT), 2 bad usage, 3 server error."
    })
final class PutCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE", description = "the value, or - for stdin")
  String value;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  WriteCondition condition;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  @Option(names = "--lease", paramLabel = "ID", description = "attach the key to this lease (raftring lease grant)")
  String lease;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    byte[] bytes = valueBytes(value);
    String[] query = WriteCondition.queryOf(condition);
    if (lease != null) {
      query = java.util.Arrays.copyOf(query, query.length + 2);
      query[query.length - 2] = "lease";
      query[query.length - 1] = lease;
    }
    return write(client, "PUT", key, bytes, query, json);
  }
}
