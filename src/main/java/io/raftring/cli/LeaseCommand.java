package io.raftring.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
      "  lease keepalive ID...  keep them alive every TTL/3 until interrupted (--once: one renewal), all in one",
      "                         request a round (POST /v1/leases/keepalive); one found gone is reported and dropped",
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

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "TTL|ID",
      description = "the TTL to grant, or the lease id (keepalive: one or more)")
  List<String> arguments = new ArrayList<>();

  @Option(names = "--once", description = "keepalive: renew once and exit")
  boolean once;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    if (action != Action.list && arguments.isEmpty()) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "lease " + action + " needs " + (action == Action.grant
          ? "a TTL" : "a lease id"));
    }
    if (action != Action.keepalive && arguments.size() > (action == Action.list ? 0 : 1)) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "lease " + action + " takes "
          + (action == Action.list ? "no argument" : "one argument") + "; got " + arguments);
    }
    String argument = arguments.isEmpty() ? null : arguments.get(0);
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

  /**
   * The leases in one request per round (POST /v1/leases/keepalive), every shortest TTL/3. A lease answered
   * NOT_FOUND (expired or revoked) is reported and dropped; one whose group could not answer (TIMEOUT, NO_QUORUM) is
   * tried again next round. Exits 1 once none is left.
   */
  private int keepAlive(KvClient client) throws KvClient.Failure {
    Set<String> alive = new LinkedHashSet<>(arguments);
    while (true) {
      ObjectNode body = KvClient.JSON.createObjectNode();
      alive.forEach(body.putArray("ids")::add);
      // A keep-alive may be sent again: a round the cluster could not serve is retried before giving up.
      JsonNode answer = client.expectSuccessRetrying("POST", "/v1/leases/keepalive",
          body.toString().getBytes(UTF_8), KvClient.APPLICATION_JSON, 3).json();
      long shortestTtl = Long.MAX_VALUE;
      for (JsonNode lease : answer.get("leases")) {
        String id = lease.get("id").asText();
        if (lease.has("ttl_ms")) {
          shortestTtl = Math.min(shortestTtl, lease.get("ttl_ms").asLong());
          if (options.verbose || once) {
            main.stdout.println(id + "\tttl_ms=" + lease.get("ttl_ms").asLong());
          }
        } else {
          main.stderr.println(id + "\t" + lease.get("error").asText() + ": " + lease.path("message").asText());
          if ("NOT_FOUND".equals(lease.get("error").asText())) {
            alive.remove(id);
          }
        }
      }
      main.stdout.flush();
      if (alive.isEmpty()) {
        return RaftRingMain.REFUSED;
      }
      if (once) {
        return RaftRingMain.OK;
      }
      try {
        Thread.sleep(shortestTtl == Long.MAX_VALUE ? 300 : Math.max(100, shortestTtl / 3));
      } catch (InterruptedException e) {
        return RaftRingMain.OK;
      }
    }
  }
}
