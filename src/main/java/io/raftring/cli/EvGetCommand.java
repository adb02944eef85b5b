package io.raftring.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring ev get KEY}: prints a key's value, raw, or its siblings. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Print KEY's value to stdout as stored (GET /v1/ev/KEY). With siblings, the newest (last-writer-wins) unless",
      "--siblings, which prints them all as JSON. --verbose prints the causal context to pass to a write.",
      "Exit 0 when found, 1 when KEY does not exist or was deleted, 2 bad usage, 3 server error (e.g. NO_QUORUM)."
    })
final class EvGetCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Option(names = {"-r", "--r"}, paramLabel = "R", description = "replicas that must answer: 1..N, quorum or all")
  String r;

  @Option(names = "--siblings", description = "print every sibling (JSON) instead of the newest")
  boolean siblings;

  @Option(names = "--json", description = "print the server's JSON answer (siblings, context) to stdout")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    String path = EvCommand.keyPath(key) + KvClient.query("r", r);
    KvClient.Response response = client.expectSuccess("GET", path, null,
        json || siblings ? KvClient.APPLICATION_JSON : "application/octet-stream");
    if (options.verbose) {
      main.stderr.println("context: " + response.headers().getOrDefault("x-raftring-context", ""));
      main.stderr.println("siblings: " + response.headers().getOrDefault("x-raftring-siblings", "1"));
    }
    if (json || siblings) {
      printLine(response.text());
    } else {
      main.stdout.write(response.body());
    }
    return RaftRingMain.OK;
  }
}
