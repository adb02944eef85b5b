package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring lease grant|keepalive|revoke|ttl|list}: leases with a time to live (/v1/leases). */
@Command(
    name = "lease",
    mixinStandardHelpOptions = true,
    description = {
      "Leases with a time to live, as etcd's (not consistency=lease reads):",
      "  lease grant TTL        print a new lease's id (TTL: 10s, 500ms, 2m; a bare number is seconds)",
      "  lease keepalive ID     keep it alive every TTL/3 until interrupted (--once: one renewal)",
      "  lease revoke ID        revoke it: every key attached to it is deleted",
      "  lease ttl ID           print its granted TTL and the time it has left, in ms",
      "  lease list             print every lease's id and TTL",
      "Attach keys with 'raftring put KEY VALUE --lease ID'. Exit 1 when the lease is not found, 2 bad usage, 3 server"
          + " error."
    })
final class LeaseCommand extends ClientCommand {

  enum Action { grant, keepalive, revoke, ttl, list }

  @Parameters(index = "0", paramLabel = "ACTION", description = "grant, keepalive, revoke, ttl or list")
  Action action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TTL|ID", description = "the TTL to grant, or the lease id")
  String argument;

  @Option(names = "--once", description = "keepalive: renew once and exit")
  boolean once;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    if (action != Action.list && argument == null) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "lease " + action + " needs " + (action == Action.grant
          ? "a TTL" : "a lease id"));
    }
    switch (action) {
      case grant -> {
        Duration ttl = DurationConverter.parse(argument);
        JsonNode granted = client.expectSuccess("POST", "/v1/leases" + KvClient.query("ttl", ttl.toMillis() + "ms"),
            null, KvClient.APPLICATION_JSON).json();
        main.stdout.println(granted.get("id").asText());
        if (options.verbose) {
          main.stderr.println("ttl_ms: " + granted.get("ttl_ms").asLong());
        }
      }
      case keepalive -> {
        return keepAlive(client);
      }
      case revoke -> client.expectSuccess("DELETE", "/v1/leases/" + KvClient.encode(argument), null,
          KvClient.APPLICATION_JSON);
      case ttl -> {
        JsonNode info = client.expectSuccess("GET", "/v1/leases/" + KvClient.encode(argument), null,
            KvClient.APPLICATION_JSON).json();
        main.stdout.println(info.get("id").asText() + "\tgranted_ttl_ms=" + info.get("granted_ttl_ms").asLong()
            + "\tttl_ms=" + info.get("ttl_ms").asLong());
      }
      case list -> {
        for (JsonNode lease : client.expectSuccess("GET", "/v1/leases", null, KvClient.APPLICATION_JSON).json()
            .get("leases")) {
          main.stdout.println(lease.get("id").asText() + "\t" + lease.get("granted_ttl_ms").asLong());
        }
      }
      default -> throw new IllegalStateException(action.name());
    }
    return RaftRingMain.OK;
  }

  private int keepAlive(KvClient client) throws KvClient.Failure {
    String path = "/v1/leases/" + KvClient.encode(argument) + "/keepalive";
    while (true) {
      JsonNode renewed = client.expectSuccess("POST", path, null, KvClient.APPLICATION_JSON).json();
      long ttlMillis = renewed.get("ttl_ms").asLong();
      if (options.verbose || once) {
        main.stdout.println(renewed.get("id").asText() + "\tttl_ms=" + ttlMillis);
        main.stdout.flush();
      }
      if (once) {
        return RaftRingMain.OK;
      }
      try {
        Thread.sleep(Math.max(100, ttlMillis / 3));
      } catch (InterruptedException e) {
        return RaftRingMain.OK;
      }
    }
  }
}
