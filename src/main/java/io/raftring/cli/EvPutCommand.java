package io.raftring.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring ev put KEY VALUE}: writes a key of the eventual keyspace. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Set KEY to VALUE (PUT /v1/ev/KEY). VALUE '-' reads stdin. With --context (from ev get --verbose), the write",
      "supersedes what that read returned; without, it replaces what its coordinating replica holds (last writer",
      "wins). Exit 0 when acknowledged by W replicas, 2 bad usage, 3 not enough replicas (NO_QUORUM, TIMEOUT)."
    })
final class EvPutCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE", description = "the value, or - for stdin")
  String value;

  @Option(names = {"-w", "--w"}, paramLabel = "W",
      description = "replicas that must acknowledge: 1..N, quorum or all")
  String w;

  @Option(names = "--context", paramLabel = "CONTEXT",
      description = "the causal context of the read this write follows")
  String context;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    return EvDelCommand.write(this, client, "PUT", key, valueBytes(value), w, context, json);
  }
}
