package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raftring watch KEY...} or {@code --prefix P...}: prints changes as they are committed, until interrupted. One
 * watch is a {@code GET /v1/watch}; several share one {@code POST /v1/watch} stream, each resuming from its own
 * position.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Print every change of KEY, or of every key starting with --prefix, as it is committed (GET /v1/watch):"
          + " 'PUT<TAB>KEY<TAB>VALUE' or 'DELETE<TAB>KEY' per line, values as 'range' prints them. Several KEYs and"
          + " --prefix options watch them all on one stream (POST /v1/watch).",
      "When the connection drops, it reconnects (to the next --endpoint if several are given, comma-separated) from"
          + " the last position of each watch, so nothing is missed or printed twice. With --json, the server's lines"
          + " as they are (with each one's position; with several watches, each one's \"watch\", its place among the"
          + " KEYs and then the --prefix options). Runs until interrupted.",
      "Exit 1 when a position is older than the history kept (COMPACTED: read again), 2 bad usage."
    })
final class WatchCommand extends ClientCommand {

  @Parameters(arity = "0..*", paramLabel = "KEY", description = "a key to watch")
  List<String> keys = new ArrayList<>();

  @Option(names = "--prefix", paramLabel = "P", description = "watch every key starting with P ('' for all);"
      + " may be given several times")
  List<String> prefixes = new ArrayList<>();

  @Option(names = "--position", paramLabel = "TOKEN",
      description = "resume after this position (from --json output); with one KEY or --prefix only")
  String position;

  @Option(names = "--json", description = "print the server's JSON lines")
  boolean json;

  @Option(names = "--max-events", paramLabel = "N", hidden = true, description = "stop after N changes (tests)")
  long maxEvents = Long.MAX_VALUE;

  @Override
  int run(KvClient ignored) throws KvClient.Failure, IOException {
    List<ObjectNode> watches = new ArrayList<>();
    keys.forEach(key -> watches.add(KvClient.JSON.createObjectNode().put("key", key)));
    prefixes.forEach(prefix -> watches.add(KvClient.JSON.createObjectNode().put("prefix", prefix)));
    if (watches.isEmpty()) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "give KEY or --prefix P (or several)");
    }
    if (watches.size() > 1 && position != null) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "--position resumes one watch: give one KEY or --prefix with it");
    }
    // The last position of each watch, where a new stream resumes it.
    String[] positions = new String[watches.size()];
    positions[0] = position;
    java.util.List<KvClient> clients = options.clients();
    long printed = 0;
    int endpoint = 0;
    int failuresInARow = 0;
    while (printed < maxEvents) {
      KvClient client = clients.get(endpoint % clients.size());
      try (KvClient.Streamed stream = open(client, watches, positions)) {
        if (stream.status() != 200) {
          KvClient.Failure failure = KvClient.failureOf(new KvClient.Response(stream.status(),
              java.util.Map.of(), stream.body().readAllBytes()));
          if (failure.exitCode != RaftRingMain.UNAVAILABLE) {
            throw failure;
          }
          throw new IOException(failure.getMessage());
        }
        failuresInARow = 0;
        for (String line = stream.lines().readLine(); line != null && printed < maxEvents;
            line = stream.lines().readLine()) {
          JsonNode event = KvClient.JSON.readTree(line);
          String type = event.path("type").asText();
          int watch = event.path("watch").asInt(0);
          if (event.hasNonNull("position")) {
            positions[watch] = event.get("position").asText();
          }
          if (type.equals("closed")) {
            String code = event.path("error").asText();
            if (code.equals("COMPACTED")) {
              throw new KvClient.Failure(RaftRingMain.REFUSED, "COMPACTED: " + event.path("message").asText());
            }
            main.stderr.println("raftring watch: the server ended the watch"
                + (watches.size() == 1 ? "" : " of " + watches.get(watch)) + " (" + code + ": "
                + event.path("message").asText() + "); resuming");
          }
          if (json) {
            main.stdout.println(line);
          } else if (type.equals("put")) {
            main.stdout.println("PUT\t" + event.path("key").asText() + "\t"
                + RangeCommand.printable(Base64.getDecoder().decode(event.path("value").asText(""))));
          } else if (type.equals("delete")) {
            main.stdout.println("DELETE\t" + event.path("key").asText());
          }
          if (type.equals("put") || type.equals("delete")) {
            printed++;
          }
          main.stdout.flush();
          if (type.equals("closed") && watches.size() > 1) {
            break; // the others run on, but a new stream resumes every watch, this one too
          }
        }
      } catch (IOException | KvClient.Failure e) {
        if (e instanceof KvClient.Failure f && f.exitCode != RaftRingMain.UNAVAILABLE) {
          throw f;
        }
        failuresInARow++;
        if (options.verbose) {
          main.stderr.println("raftring watch: " + e.getMessage() + "; reconnecting");
        }
        endpoint++;
        try {
          Thread.sleep(Math.min(2_000, 100L * failuresInARow));
        } catch (InterruptedException interrupted) {
          return RaftRingMain.OK;
        }
      }
    }
    return RaftRingMain.OK;
  }

  /** One watch as today's {@code GET}; several as one {@code POST}, each from its own last position. */
  private static KvClient.Streamed open(KvClient client, List<ObjectNode> watches, String[] positions)
      throws KvClient.Failure {
    if (watches.size() == 1) {
      JsonNode watch = watches.get(0);
      String filter = watch.has("key") ? KvClient.query("key", watch.get("key").asText())
          : KvClient.query("prefix", watch.get("prefix").asText());
      return client.stream("GET", "/v1/watch" + filter
          + (positions[0] == null ? "" : "&position=" + KvClient.encode(positions[0])), null);
    }
    ArrayNode list = KvClient.JSON.createArrayNode();
    for (int i = 0; i < watches.size(); i++) {
      ObjectNode watch = watches.get(i).deepCopy();
      if (positions[i] != null) {
        watch.put("position", positions[i]);
      }
      list.add(watch);
    }
    try {
      return client.stream("POST", "/v1/watch",
          KvClient.JSON.writeValueAsBytes(KvClient.JSON.createObjectNode().set("watches", list)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e); // a tree always renders
    }
  }
}
