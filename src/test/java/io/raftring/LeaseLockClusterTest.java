package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.raftring.api.ClusterStatus;
import io.raftring.kv.LeaseIds;
import io.raftring.ring.GroupPlacement;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Leases and locks on three nodes and four groups, through HTTP: a lease's keys, spread over every group, go when it
 * expires and not before; a lease kept alive outlives the crash of its group's leader; two contenders never hold a
 * lock together, and the lock of one that dies (stops keeping its lease alive) passes to the other with a higher
 * fencing token; an election hands over when its leader resigns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseLockClusterTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalCluster cluster;
  private static ActorTestKit kit;
  private static ClusterHttp http;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(NODES, 4, ConfigFactory.parseString("raftring.lease.min-ttl = 1s"));
    kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    http = new ClusterHttp(cluster);
    http.awaitReady(kit, NODES, Duration.ofSeconds(40));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    kit.shutdownTestKit();
  }

  private static HttpResponse<String> call(String node, String method, String path, String body) {
    return http.call(node, method, path, body);
  }

  private static CompletableFuture<HttpResponse<String>> callAsync(String node, String method, String path,
      String body) {
    return http.callAsync(node, method, path, body);
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError(response.body(), e);
    }
  }

  private static String grant(String ttl) {
    return json(call("n1", "POST", "/v1/leases?ttl=" + ttl, null)).get("id").asText();
  }

  /** One key in each group, named after {@code tag}. */
  private static List<String> keysInEveryGroup(String tag) {
    GroupPlacement placement = cluster.node("n1").raftRing().placement();
    Map<String, String> byGroup = new LinkedHashMap<>();
    for (int i = 0; byGroup.size() < placement.groups().size(); i++) {
      String key = tag + "-" + i;
      byGroup.putIfAbsent(placement.groupOf(key), key);
    }
    return new ArrayList<>(byGroup.values());
  }

  private static int statusOf(String node, String key) {
    return call(node, "GET", "/v1/kv/" + key + "?timeout=5s", null).statusCode();
  }

  /** Keeps a lease alive every {@code every} until stopped, through the nodes in turn; counts 404 answers. */
  private static final class KeepAlive implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger notFound = new AtomicInteger();
    volatile long lastAckedSendNanos;
    private final Thread thread;

    KeepAlive(String lease, Duration every, List<String> through) {
      thread = new Thread(() -> {
        int i = 0;
        while (running.get()) {
          long sent = System.nanoTime();
          try {
            HttpResponse<String> answer = callAsync(through.get(i++ % through.size()), "POST",
                "/v1/leases/" + lease + "/keepalive", null).get(10, TimeUnit.SECONDS);
            if (answer.statusCode() == 200) {
              lastAckedSendNanos = sent;
            } else if (answer.statusCode() == 404) {
              notFound.incrementAndGet();
            }
          } catch (Exception e) {
            // a node going down: try the next one
          }
          long waited = System.nanoTime() - sent;
          LockSupportSleep.park(every.toNanos() - waited);
        }
      }, "keepalive-" + lease);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(15_000);
    }
  }

  @Test
  void aLeasesKeysGoFromEveryGroupWhenItExpiresAndNotBefore() throws Exception {
    String lease = grant("2s");
    List<String> keys = keysInEveryGroup("expiring");
    for (String key : keys) {
      assertThat(call("n2", "PUT", "/v1/kv/" + key + "?lease=" + lease, "v").statusCode()).isEqualTo(200);
    }
    KeepAlive keepAlive = new KeepAlive(lease, Duration.ofMillis(400), NODES);
    LockSupportSleep.park(Duration.ofSeconds(3).toNanos());
    keepAlive.close();
    long lastRenewal = keepAlive.lastAckedSendNanos;
    assertThat(keepAlive.notFound.get()).isZero();

    // Not before: a second after the last renewal every key is still there, in every group.
    for (String key : keys) {
      long asked = System.nanoTime();
      int status = statusOf("n3", key);
      if (asked - lastRenewal < Duration.ofMillis(1_600).toNanos()) {
        assertThat(status).as(key + " while its lease lives").isEqualTo(200);
      }
    }
    // Then they all go, in every group.
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
      for (String key : keys) {
        assertThat(statusOf("n1", key)).as(key).isEqualTo(404);
      }
      return null;
    });
    assertThat(call("n2", "POST", "/v1/leases/" + lease + "/keepalive", null).statusCode()).isEqualTo(404);
    assertThat(call("n2", "PUT", "/v1/kv/late?lease=" + lease, "v").statusCode()).isEqualTo(404);
  }

  @Test
  void oneKeepAliveRenewsLeasesOfEveryGroupAndNamesTheOneThatIsGone() {
    int groups = cluster.node("n1").raftRing().placement().groups().size();
    Map<Integer, String> leaseOfGroup = new LinkedHashMap<>();
    while (leaseOfGroup.size() < groups) {
      String lease = grant("60s");
      leaseOfGroup.putIfAbsent(LeaseIds.groupIndex(LeaseIds.parse(lease), groups), lease);
    }
    List<String> leases = new ArrayList<>(leaseOfGroup.values());
    String revoked = leases.get(1);
    assertThat(call("n1", "DELETE", "/v1/leases/" + revoked, null).statusCode()).isEqualTo(200);

    JsonNode answer = json(call("n3", "POST", "/v1/leases/keepalive",
        "{\"ids\":[" + String.join(",", leases.stream().map(id -> "\"" + id + "\"").toList()) + "]}"));

    JsonNode renewals = answer.get("leases");
    assertThat(renewals).hasSize(leases.size());
    for (int i = 0; i < leases.size(); i++) {
      JsonNode renewal = renewals.get(i);
      assertThat(renewal.get("id").asText()).isEqualTo(leases.get(i));
      if (leases.get(i).equals(revoked)) {
        assertThat(renewal.get("error").asText()).isEqualTo("NOT_FOUND");
      } else {
        assertThat(renewal.get("ttl_ms").asLong()).as(renewal.toString()).isEqualTo(60_000);
      }
    }
  }

  @Test
  void revokingALeaseDeletesItsKeysInEveryGroupBeforeItAnswers() {
    String lease = grant("60s");
    List<String> keys = keysInEveryGroup("revoked");
    for (String key : keys) {
      assertThat(call("n1", "PUT", "/v1/kv/" + key + "?lease=" + lease, "v").statusCode()).isEqualTo(200);
    }

    assertThat(json(call("n2", "DELETE", "/v1/leases/" + lease, null)).get("revoked").asBoolean()).isTrue();

    for (String key : keys) {
      assertThat(statusOf("n3", key)).as(key).isEqualTo(404);
    }
    assertThat(call("n1", "GET", "/v1/leases/" + lease, null).statusCode()).isEqualTo(404);
  }

  /** Last: it leaves one node down (two of three keep every group's majority), which saves restarting it. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aLeaseKeptAliveOutlivesTheCrashOfItsGroupsLeader() throws Exception {
    String lease = grant("2s");
    String group = cluster.node("n1").raftRing().leases() instanceof io.raftring.lease.LeaseService service
        ? service.groupOf(io.raftring.kv.LeaseIds.parse(lease)) : null;
    List<String> keys = keysInEveryGroup("kept");
    for (String key : keys) {
      assertThat(call("n1", "PUT", "/v1/kv/" + key + "?lease=" + lease, "v").statusCode()).isEqualTo(200);
    }
    String leader = leaderOf(group);
    List<String> survivors = NODES.stream().filter(n -> !n.equals(leader)).toList();
    try (KeepAlive keepAlive = new KeepAlive(lease, Duration.ofMillis(400), survivors)) {
      LockSupportSleep.park(Duration.ofSeconds(1).toNanos());
      cluster.stopNode(leader);
      // Three TTLs after the crash, with a new leader and lessor, the lease and its keys are still there.
      LockSupportSleep.park(Duration.ofSeconds(6).toNanos());
      assertThat(keepAlive.notFound.get()).as("keep-alives answered 404").isZero();
      for (String key : keys) {
        assertThat(statusOf(survivors.get(0), key)).as(key).isEqualTo(200);
      }
    }
  }

  private static String leaderOf(String group) throws Exception {
    ClusterStatus status = cluster.node("n1").raftRing().clusterStatus(Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return status.groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow().leader();
  }

  @Test
  void twoContendersNeverHoldTheLockTogetherAndADeadOnesLockPassesOnWithAHigherToken() throws Exception {
    String first = grant("2s");
    String second = grant("2s");
    KeepAlive firstAlive = new KeepAlive(first, Duration.ofMillis(400), NODES);
    try (KeepAlive secondAlive = new KeepAlive(second, Duration.ofMillis(400), NODES)) {
      JsonNode firstOwner = json(call("n1", "POST", "/v1/locks/job?lease=" + first, null));
      CompletableFuture<HttpResponse<String>> secondAsks =
          callAsync("n2", "POST", "/v1/locks/job?lease=" + second + "&timeout=15s", null);

      LockSupportSleep.park(Duration.ofMillis(1_500).toNanos());
      assertThat(secondAsks).as("the second waits while the first holds the lock").isNotDone();
      assertThat(json(call("n3", "GET", "/v1/locks/job", null)).get("lease").asText()).isEqualTo(first);

      // The first contender dies: its lease is no longer kept alive, and it never unlocks.
      firstAlive.close();
      JsonNode secondOwner = json(secondAsks.get(20, TimeUnit.SECONDS));
      long acquired = System.nanoTime();

      assertThat(acquired - firstAlive.lastAckedSendNanos).as("not before the first's lease could expire")
          .isGreaterThan(Duration.ofSeconds(2).toNanos());
      assertThat(call("n1", "GET", "/v1/leases/" + first, null).statusCode()).isEqualTo(404);
      assertThat(secondOwner.get("fencing_token").asLong()).isGreaterThan(firstOwner.get("fencing_token").asLong());
      assertThat(json(call("n1", "GET", "/v1/locks/job", null)).get("lease").asText()).isEqualTo(second);

      assertThat(json(call("n3", "DELETE", "/v1/locks/job?lease=" + second, null)).get("released").asBoolean())
          .isTrue();
      assertThat(call("n2", "GET", "/v1/locks/job", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anElectionHandsOverWhenItsLeaderResigns() throws Exception {
    String a = grant("30s");
    String b = grant("30s");
    json(call("n1", "POST", "/v1/elections/primary?lease=" + a, "10.0.0.1"));
    CompletableFuture<HttpResponse<String>> bCampaigns =
        callAsync("n2", "POST", "/v1/elections/primary?lease=" + b + "&timeout=15s", "10.0.0.2");
    json(call("n3", "PUT", "/v1/elections/primary?lease=" + a, "10.0.0.9"));
    assertThat(leaderValue()).isEqualTo("10.0.0.9");
    assertThat(call("n3", "PUT", "/v1/elections/primary?lease=" + b, "usurper").statusCode()).isEqualTo(409);

    json(call("n1", "DELETE", "/v1/elections/primary?lease=" + a, null));

    assertThat(json(bCampaigns.get(20, TimeUnit.SECONDS)).get("lease").asText()).isEqualTo(b);
    assertThat(leaderValue()).isEqualTo("10.0.0.2");
  }

  private static String leaderValue() {
    return new String(java.util.Base64.getDecoder().decode(
        json(call("n2", "GET", "/v1/elections/primary", null)).get("value").asText()));
  }
}
