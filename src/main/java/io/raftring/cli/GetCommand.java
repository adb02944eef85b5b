package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring get KEY}: prints a key's value, raw, to stdout. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Print KEY's value to stdout exactly as stored, with nothing added (GET /v1/kv/KEY).",
      "Exit 0 when found, 1 when KEY does not exist (NOT_FOUND), 2 bad usage, 3 server error (e.g. 503 NO_QUORUM)."
    })
final class GetCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Option(names = {"-c", "--consistency"}, paramLabel = "LEVEL",
      description = "linearizable (default on the server), lease or stale")
  Consistency consistency;

  @Option(names = "--degrade", description = "if a strong read cannot be served, accept a stale answer (degrade=stale)")
  boolean degrade;

  @Option(names = "--json", description = "print the key's JSON (key, base64 value, revisions) instead of the value")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    String path = KvClient.keyPath(key) + KvClient.query(
        "consistency", consistency == null ? null : consistency.name(),
        "degrade", degrade ? "stale" : null);
    if (json) {
      printLine(client.expectSuccess("GET", path, null, KvClient.APPLICATION_JSON).text());
      return RaftRingMain.OK;
    }
    if (!options.verbose) {
      main.stdout.write(client.expectSuccess("GET", path, null, "application/octet-stream").body());
      return RaftRingMain.OK;
    }
    // --verbose: ask for JSON so the revisions come with the value; the value still goes raw to stdout.
    KvClient.Response response = client.expectSuccess("GET", path, null, KvClient.APPLICATION_JSON);
    JsonNode body = response.json();
    JsonNode kv = body != null && body.has("kv") && body.get("kv").isObject() ? body.get("kv") : body;
    if (kv == null || !kv.hasNonNull("value")) {
      main.stderr.println("HTTP " + response.status() + " (no JSON value in the answer; printing it as is)");
      main.stdout.write(response.body());
      return RaftRingMain.OK;
    }
    if (kv != body) {
      printScalars(body, main.stderr);
    }
    printScalars(kv, main.stderr);
    main.stdout.write(Base64.getDecoder().decode(kv.get("value").asText()));
    return RaftRingMain.OK;
  }
}
