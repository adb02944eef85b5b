package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring watch KEY} or {@code --prefix P}: prints changes as they are committed, until interrupted. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Print every change of KEY, or of every key starting with --prefix, as it is committed (GET /v1/watch):"
          + " 'PUT<TAB>KEY<TAB>VALUE' or 'DELETE<TAB>KEY' per line, values as 'range' prints them.",
      "When the connection drops, it reconnects (to the next --endpoint if several are given, comma-separated) from"
          + " the last position, so nothing is missed or printed twice. With --json, the server's lines as they are"
          + " (with each one's position). Runs until interrupted.",
      "Exit 1 when the position is older than the history kept (COMPACTED: read again), 2 bad usage."
    })
final class WatchCommand extends ClientCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "the key to watch")
  String key;

  @Option(names = "--prefix", paramLabel = "P", description = "watch every key starting with P ('' for all)")
  String prefix;

  @Option(names = "--position", paramLabel = "TOKEN", description = "resume after this position (from --json output)")
  String position;

  @Option(names = "--json", description = "print the server's JSON lines")
  boolean json;

  @Option(names = "--max-events", paramLabel = "N", hidden = true, description = "stop after N changes (tests)")
  long maxEvents = Long.MAX_VALUE;

  @Override
  int run(KvClient ignored) throws KvClient.Failure, IOException {
    if ((key == null) == (prefix == null)) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "give either KEY or --prefix P");
    }
    String filter = key != null ? KvClient.query("key", key) : KvClient.query("prefix", prefix);
    java.util.List<KvClient> clients = options.clients();
    long printed = 0;
    int endpoint = 0;
    int failuresInARow = 0;
    while (printed < maxEvents) {
      KvClient client = clients.get(endpoint % clients.size());
      String path = "/v1/watch" + filter + (position == null ? "" : "&position=" + KvClient.encode(position));
      try (KvClient.Streamed stream = client.stream("GET", path, null)) {
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
          if (type.equals("closed")) {
            String code = event.path("error").asText();
            if (code.equals("COMPACTED")) {
              throw new KvClient.Failure(RaftRingMain.REFUSED, "COMPACTED: " + event.path("message").asText());
            }
            main.stderr.println("raftring watch: the server ended the watch (" + code + ": "
                + event.path("message").asText() + "); resuming");
          }
          if (event.hasNonNull("position")) {
            position = event.get("position").asText();
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
}
