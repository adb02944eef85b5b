package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring elect NAME VALUE}: campaign and lead until interrupted; {@code --listen}: print the leaders. */
@Command(
    name = "elect",
    mixinStandardHelpOptions = true,
    description = {
      "Campaign in election NAME with VALUE (your address, say): wait in line, print 'NAME<TAB>VALUE<TAB>TOKEN' once"
          + " elected, lead until interrupted, then resign. Leadership is held on a lease kept alive every TTL/3.",
      "With --listen, print the leader's value now and at every change ('(none)' while nobody leads).",
      "Exit 1 if leadership was lost, 2 bad usage, 3 server error."
    })
final class ElectCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "the election")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "what the leader announces")
  String value;

  @Option(names = "--listen", description = "print the leaders instead of campaigning")
  boolean listen;

  @Option(names = "--ttl", defaultValue = "10s", converter = DurationConverter.class,
      description = "the lease's time to live (default 10s)")
  Duration ttl;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    String path = "/v1/elections/" + KvClient.encode(name);
    if (listen) {
      return listen(client, path);
    }
    if (value == null) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "give the VALUE to campaign with, or --listen");
    }
    AtomicBoolean lost = new AtomicBoolean();
    try (LeaseKeeper lease = LeaseKeeper.grant(client, ttl, () -> {
      lost.set(true);
      main.stderr.println("raftring elect: lost leadership of '" + name + "': its lease could not be kept alive");
    })) {
      Runtime.getRuntime().addShutdownHook(new Thread(lease::close, "raftring-elect-resign"));
      JsonNode leader = LockCommand.acquire(client, path, lease.leaseId(), value.getBytes(StandardCharsets.UTF_8),
          lost);
      main.stdout.println(name + "\t" + value + "\t" + leader.get("fencing_token").asText());
      main.stdout.flush();
      LockCommand.holdUntilInterruptedOrLost(lost);
      return lost.get() ? RaftRingMain.REFUSED : RaftRingMain.OK;
    }
  }

  private int listen(KvClient client, String path) throws KvClient.Failure, IOException {
    try (KvClient.Streamed stream = client.stream("GET", path + "?observe=true", null)) {
      if (stream.status() != 200) {
        throw KvClient.failureOf(new KvClient.Response(stream.status(), java.util.Map.of(),
            stream.body().readAllBytes()));
      }
      for (String line = stream.lines().readLine(); line != null; line = stream.lines().readLine()) {
        JsonNode event = KvClient.JSON.readTree(line);
        main.stdout.println(event.path("type").asText().equals("leader")
            ? RangeCommand.printable(Base64.getDecoder().decode(event.path("value").asText("")))
            : "(none)");
        main.stdout.flush();
      }
    }
    return RaftRingMain.UNAVAILABLE;
  }
}
