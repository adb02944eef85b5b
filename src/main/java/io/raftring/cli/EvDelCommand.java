package io.raftring.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring ev del KEY}: deletes a key of the eventual keyspace (a tombstone). */
@Command(
    name = "del",
    mixinStandardHelpOptions = true,
    description = {
      "Delete KEY (DELETE /v1/ev/KEY), with --context like ev put.",
      "Exit 0 when acknowledged by W replicas, 2 bad usage, 3 not enough replicas (NO_QUORUM, TIMEOUT)."
    })
final class EvDelCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Option(names = {"-w", "--w"}, paramLabel = "W",
      description = "replicas that must acknowledge: 1..N, quorum or all")
  String w;

  @Option(names = "--context", paramLabel = "CONTEXT",
      description = "the causal context of the read this delete follows")
  String context;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure {
    return write(this, client, "DELETE", key, null, w, context, json);
  }

  /** A PUT or DELETE of the eventual keyspace; with --verbose the new context goes to stderr. */
  static int write(ClientCommand command, KvClient client, String method, String key, byte[] value, String w,
      String context, boolean json) throws KvClient.Failure {
    KvClient.Response response = client.expectSuccess(method, EvCommand.keyPath(key) + KvClient.query("w", w), value,
        KvClient.APPLICATION_JSON, EvCommand.contextHeader(context));
    if (json) {
      command.printLine(response.text());
    }
    command.printDetails(response);
    return RaftRingMain.OK;
  }
}
