package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring del KEY}: deletes a key, optionally only if a condition holds. */
@Command(
    name = "del",
    aliases = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete KEY (DELETE /v1/kv/KEY).",
      "Exit 0 when deleted, 1 when KEY did not exist (NOT_FOUND) or the condition did not hold (CONFLICT),"
          + " 2 bad usage, 3 server error."
    })
final class DelCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  WriteCondition condition;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure {
    KvClient.Response response = client.expectSuccess(
        "DELETE", KvClient.keyPath(key) + KvClient.query(WriteCondition.queryOf(condition)), null,
        KvClient.APPLICATION_JSON);
    if (json) {
      printLine(response.text());
    }
    printDetails(response);
    // A server may answer a delete of a missing key with 200 and "deleted": false rather than 404.
    JsonNode body = response.json();
    if (body != null && body.has("deleted") && !body.get("deleted").asBoolean(true)) {
      throw new KvClient.Failure(RaftRingMain.REFUSED, "NOT_FOUND: key \"" + key + "\" did not exist");
    }
    return RaftRingMain.OK;
  }
}
