package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftring txn}: runs a transaction (POST /v1/txn), given as JSON in a file or on stdin, or with
 * {@code --compare/--put/--del/--get/--prefix} and their {@code --else-} forms, in the order given. Or asks how one
 * ended: {@code raftring txn --status ID} (GET /v1/txn/ID).
 */
@Command(
    name = "txn",
    mixinStandardHelpOptions = true,
    description = {
      "Run a transaction: compares, the operations to run if they all hold, and those to run if not.",
      "  raftring txn txn.json            # the JSON of POST /v1/txn; '-' or no FILE and no options: stdin",
      "  raftring txn --compare 'value(acct/a) = 100' --put acct/a=90 --put acct/b=110 --else-get acct/a",
      "Compares: TARGET(KEY) OP VALUE with targets value, version, create, mod, exists and ops =, !=, <, >.",
      "Prints which branch ran and each operation's result (--json: the server's answer).",
      "Exit 0 when the compares held, 1 when the failure branch ran or another transaction's locks made it abort"
          + " (CONFLICT), 2 bad usage, 3 server error (504: outcome unknown; the message names the transaction)."
    })
final class TxnCommand extends ClientCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the transaction as JSON; - for stdin")
  String file;

  @Option(names = "--status", paramLabel = "ID", description = "print how transaction ID ended, instead")
  String status;

  @Option(names = "--json", description = "print the server's JSON answer to stdout")
  boolean json;

  // The operations' order matters (results come back in it), and picocli keeps each option's values apart, so
  // these fields only declare the options; body() reads them in command-line order from the original arguments.
  @Option(names = "--compare", paramLabel = "EXPR", description = "a compare, e.g. 'mod(k) = 7' (repeatable)")
  List<String> compares;

  @Option(names = "--put", paramLabel = "KEY=VALUE", description = "put in the success branch (repeatable)")
  List<String> puts;

  @Option(names = "--del", paramLabel = "KEY", description = "delete in the success branch (repeatable)")
  List<String> deletes;

  @Option(names = "--get", paramLabel = "KEY", description = "read in the success branch (repeatable)")
  List<String> gets;

  @Option(names = "--prefix", paramLabel = "P", description = "read a range in the success branch (repeatable)")
  List<String> prefixes;

  @Option(names = "--else-put", paramLabel = "KEY=VALUE", description = "put in the failure branch (repeatable)")
  List<String> elsePuts;

  @Option(names = "--else-del", paramLabel = "KEY", description = "delete in the failure branch (repeatable)")
  List<String> elseDeletes;

  @Option(names = "--else-get", paramLabel = "KEY", description = "read in the failure branch (repeatable)")
  List<String> elseGets;

  @Option(names = "--else-prefix", paramLabel = "P", description = "read a range in the failure branch (repeatable)")
  List<String> elsePrefixes;

  private static final List<String> SHORT_FORMS = List.of("--compare", "--put", "--del", "--get", "--prefix",
      "--else-put", "--else-del", "--else-get", "--else-prefix");

  /** The short forms as the transaction's JSON, in the order given; null when none was given. */
  private ObjectNode shortForms() throws KvClient.Failure {
    ObjectNode txn = KvClient.JSON.createObjectNode();
    ArrayNode compare = txn.putArray("compare");
    ArrayNode success = txn.putArray("success");
    ArrayNode failure = txn.putArray("failure");
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    boolean any = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String name = equals > 0 && arg.startsWith("--") ? arg.substring(0, equals) : arg;
      if (!SHORT_FORMS.contains(name)) {
        continue;
      }
      String value = equals > 0 && arg.startsWith("--") ? arg.substring(equals + 1) : args.get(++i);
      any = true;
      boolean otherwise = name.startsWith("--else-");
      ArrayNode branch = otherwise ? failure : success;
      try {
        switch (otherwise ? "--" + name.substring("--else-".length()) : name) {
          case "--compare" -> compare.add(TxnSyntax.compare(value));
          case "--put" -> branch.add(TxnSyntax.put(value));
          case "--del" -> branch.add(TxnSyntax.keyOperation("delete", value));
          case "--get" -> branch.add(TxnSyntax.keyOperation("get", value));
          default -> branch.add(TxnSyntax.range(value));
        }
      } catch (IllegalArgumentException e) {
        throw new KvClient.Failure(RaftRingMain.USAGE, e.getMessage());
      }
    }
    return any ? txn : null;
  }

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    if (status != null) {
      KvClient.Response response = client.expectSuccess("GET", "/v1/txn/" + KvClient.encode(status), null,
          KvClient.APPLICATION_JSON);
      printLine(json ? response.text() : describeStatus(response.json()));
      return RaftRingMain.OK;
    }
    byte[] body = body();
    KvClient.Response response = client.send("POST", "/v1/txn", body, KvClient.APPLICATION_JSON,
        KvClient.APPLICATION_JSON);
    if (!response.isSuccess()) {
      throw KvClient.failureOf(response);
    }
    JsonNode answer = response.json();
    if (json) {
      printLine(response.text());
    } else {
      printAnswer(answer);
    }
    return answer != null && answer.path("succeeded").asBoolean(false) ? RaftRingMain.OK : RaftRingMain.REFUSED;
  }

  private byte[] body() throws KvClient.Failure, IOException {
    ObjectNode shortForms = shortForms();
    if (shortForms != null && file != null) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "give the transaction as FILE or as options, not both");
    }
    if (shortForms != null) {
      return KvClient.JSON.writeValueAsBytes(shortForms);
    }
    if (file == null || file.equals("-")) {
      return main.stdin.readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private void printAnswer(JsonNode answer) {
    if (answer == null) {
      main.stdout.println("(no JSON in the answer)");
      return;
    }
    main.stdout.println(answer.path("succeeded").asBoolean() ? "SUCCESS (the compares held)"
        : "FAILURE (a compare did not hold: the failure branch ran)");
    for (JsonNode result : answer.path("results")) {
      String kind = result.fieldNames().next();
      JsonNode r = result.get(kind);
      switch (kind) {
        case "put" -> main.stdout.println("put " + keyOf(r.path("prev_kv"), "(new key)") + revision(r));
        case "delete" -> main.stdout.println("delete: " + r.path("deleted").asInt() + " deleted" + revision(r));
        case "get", "range" -> {
          main.stdout.println(kind + ": " + r.path("count").asInt() + (r.path("more").asBoolean() ? "+" : "")
              + " key(s)");
          for (JsonNode kv : r.path("kvs")) {
            main.stdout.println("  " + kv.path("key").asText() + "\t"
                + RangeCommand.printable(Base64.getDecoder().decode(kv.path("value").asText(""))));
          }
        }
        default -> main.stdout.println(result.toString());
      }
    }
    if (options.verbose) {
      printScalars(answer, main.stderr);
    }
  }

  private static String keyOf(JsonNode previous, String absent) {
    return previous.isObject() ? "(was " + RangeCommand.printable(
        Base64.getDecoder().decode(previous.path("value").asText(""))) + ")" : absent;
  }

  private static String revision(JsonNode result) {
    return result.hasNonNull("revision") ? " at revision " + result.get("revision").asLong() : "";
  }

  private static String describeStatus(JsonNode status) {
    if (status == null) {
      return "(no JSON in the answer)";
    }
    ArrayNode participants = status.has("participants") && status.get("participants").isArray()
        ? (ArrayNode) status.get("participants") : KvClient.JSON.createArrayNode();
    return status.path("txn_id").asText() + ": " + status.path("state").asText() + " - "
        + status.path("message").asText() + (participants.isEmpty() ? "" : " (groups " + participants + ")");
  }
}
