package io.raftring.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.multijvm.NodeCluster.Node;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watches and locks under the nemesis (crashes, pauses, an isolated leader), real node processes, four groups:
 *
 * <ul>
 *   <li>a watcher of a prefix, reconnecting through any live node from its last position whenever its stream breaks,
 *       must have seen every acknowledged write exactly once, in each key's commit order, nothing that was not
 *       written, and end on each key's final value (a linearizable read after the faults healed);
 *   <li>three contenders take turns on one lock, each kept alive on its own lease, and write to a resource guarded by
 *       the fencing token (a compare-and-set that refuses a token lower than the last one seen): the committed writes
 *       to it never interleave two holders.
 * </ul>
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class WatchLockIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LOAD = Duration.ofSeconds(16);
  /** The lock's queue, and the resource it guards: they share the hash tag, so one group orders both. */
  private static final String LOCK_QUEUE = "_locks/{res}/";
  private static final String RESOURCE = "{res}/resource";
  private static final long SEED = Long.getLong("raftring.seed", System.currentTimeMillis());

  @AfterEach
  void killEveryNodeProcess() {
    NodeCluster.killAllStarted();
  }

  @Test
  void aReassembledWatchEqualsTheCommittedHistoryAndNoLockIsHeldTwice() throws Exception {
    Random random = new Random(SEED);
    try (NodeCluster cluster = new NodeCluster("watch-lock", 3, 4)) {
      cluster.startAll(Duration.ofSeconds(90));
      List<String> keys = Workload.keysCoveringEveryGroup(cluster, "wk/", 2);
      Watcher watcher = new Watcher(cluster, "wk/", random);
      Watcher queue = new Watcher(cluster, LOCK_QUEUE, new Random(SEED + 20));
      watcher.start();
      queue.start();
      watcher.awaitCreated(Duration.ofSeconds(30));
      queue.awaitCreated(Duration.ofSeconds(30));
      List<Writer> writers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        writers.add(new Writer(cluster, keys, i, new Random(SEED + i)));
      }
      List<Contender> contenders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        contenders.add(new Contender(cluster, "c" + i, new Random(SEED + 10 + i)));
      }
      writers.forEach(Thread::start);
      contenders.forEach(Thread::start);

      Nemesis.Kind nemesis = Nemesis.mix(Nemesis.crashRandom(), Nemesis.pause(), Nemesis.isolateLeader());
      List<String> faults = new ArrayList<>();
      long end = System.nanoTime() + LOAD.toNanos();
      while (System.nanoTime() + Duration.ofMillis(4_500).toNanos() < end) {
        NodeCluster.sleep(Duration.ofMillis(1_500));
        Nemesis.Fault fault = nemesis.apply(cluster, random);
        faults.add(fault.describe());
        fault.inject();
        NodeCluster.sleep(Duration.ofMillis(3_000));
        fault.heal();
      }
      NodeCluster.sleep(Duration.ofMillis(Math.max(0, (end - System.nanoTime()) / 1_000_000)));
      for (Writer w : writers) {
        w.stopAndJoin();
      }
      for (Contender c : contenders) {
        c.stopAndJoin();
      }
      cluster.awaitAllReady(Duration.ofSeconds(60));

      Map<String, JsonNode> finals = new HashMap<>();
      for (String key : keys) {
        finals.put(key, finalRead(cluster, key));
      }
      long expected = writers.stream().mapToLong(w -> w.acknowledged.size()).sum();
      watcher.awaitPuts(expected, finals, Duration.ofSeconds(30));
      watcher.stopAndJoin();
      queue.awaitEveryKeyDeleted(Duration.ofSeconds(30));
      queue.stopAndJoin();

      String context = " (seed " + SEED + ", faults " + faults + ", reconnects " + watcher.reconnects + " and "
          + queue.reconnects + ")";
      System.out.printf(java.util.Locale.ROOT, "watch-lock: %d writes acknowledged, %d watched events, %d lock turns,"
          + " reconnects %d and %d, faults %s, seed %d%n", expected, watcher.events.size(),
          contenders.stream().mapToLong(c -> c.committed.stream().filter(w -> w.enter).count()).sum(),
          watcher.reconnects, queue.reconnects, faults, SEED);
      checkWatch(watcher, writers, finals, context);
      checkLock(contenders, queue.events, context);
    }
  }

  // ---- the watch

  private static void checkWatch(Watcher watcher, List<Writer> writers, Map<String, JsonNode> finals,
      String context) {
    Set<String> acknowledged = new HashSet<>();
    Set<String> attempted = new HashSet<>();
    for (Writer w : writers) {
      acknowledged.addAll(w.acknowledged);
      attempted.addAll(w.attemptedValues);
    }
    List<JsonNode> events = watcher.events;
    List<String> seen = events.stream().map(WatchLockIT::keyAtRevision).toList();
    assertThat(seen).as("no event twice" + context).doesNotHaveDuplicates();
    assertThat(seen).as("every acknowledged write" + context).containsAll(acknowledged);
    Map<String, JsonNode> lastOfKey = new HashMap<>();
    for (JsonNode event : events) {
      String key = event.get("key").asText();
      JsonNode previous = lastOfKey.put(key, event);
      assertThat(previous == null || previous.get("mod_revision").asLong() < event.get("mod_revision").asLong())
          .as("each key's events in commit order: " + event + context).isTrue();
      assertThat(attempted).as("only what was written: " + event + context).contains(valueOf(event));
    }
    finals.forEach((key, read) -> {
      JsonNode last = lastOfKey.get(key);
      assertThat(last).as("an event for " + key + context).isNotNull();
      assertThat(valueOf(last)).as("the stream ends on " + key + "'s final value" + context)
          .isEqualTo(new String(java.util.Base64.getDecoder().decode(read.get("value").asText()),
              StandardCharsets.UTF_8));
      assertThat(last.get("mod_revision").asLong()).isEqualTo(read.get("mod_revision").asLong());
    });
  }

  private static String keyAtRevision(JsonNode event) {
    return event.get("key").asText() + "@" + event.get("mod_revision").asLong() + "@" + event.get("group").asText();
  }

  private static String valueOf(JsonNode event) {
    return new String(java.util.Base64.getDecoder().decode(event.get("value").asText()), StandardCharsets.UTF_8);
  }

  private static JsonNode finalRead(NodeCluster cluster, String key) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Node node = cluster.nodes().get(attempt % cluster.nodes().size());
      Optional<HttpResponse<String>> read = send(cluster, node, "GET", "/v1/kv/" + encode(key) + "?timeout=5s",
          null, true);
      if (read.isPresent() && read.get().statusCode() == 200) {
        return parse(read.get().body());
      }
      NodeCluster.sleep(Duration.ofMillis(500));
    }
    throw new AssertionError("the final linearizable read of " + key + " never succeeded");
  }

  /** Puts unique values to the keys through random live nodes; records acknowledged writes and every value tried. */
  private static final class Writer extends Thread {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> attemptedValues = ConcurrentHashMap.newKeySet();
    private final NodeCluster cluster;
    private final List<String> keys;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final int id;

    Writer(NodeCluster cluster, List<String> keys, int id, Random random) {
      super("writer-" + id);
      this.cluster = cluster;
      this.keys = keys;
      this.id = id;
      this.random = random;
    }

    @Override
    public void run() {
      for (int seq = 0; running.get(); seq++) {
        List<Node> live = cluster.responsiveNodes();
        if (live.isEmpty()) {
          NodeCluster.sleep(Duration.ofMillis(100));
          continue;
        }
        String key = keys.get(random.nextInt(keys.size()));
        String value = "w" + id + "-" + seq;
        attemptedValues.add(value);
        Optional<HttpResponse<String>> put = send(cluster, live.get(random.nextInt(live.size())), "PUT",
            "/v1/kv/" + encode(key) + "?timeout=2s", value, false);
        if (put.isPresent() && put.get().statusCode() == 200) {
          acknowledged.add(key + "@" + put.get().headers().firstValue("X-RaftRing-Mod-Revision").orElseThrow()
              + "@" + put.get().headers().firstValue("X-RaftRing-Group").orElseThrow());
        } else if (put.isEmpty() || put.get().statusCode() >= 500) {
          NodeCluster.sleep(Duration.ofMillis(50));
        }
      }
    }

    void stopAndJoin() throws InterruptedException {
      running.set(false);
      join(30_000);
    }
  }

  /** Follows the prefix through any live node, resuming from the last position whenever the stream breaks. */
  private static final class Watcher extends Thread {
    final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<String> position = new AtomicReference<>();
    volatile int reconnects;
    private final NodeCluster cluster;
    private final String prefix;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile InputStream current;

    Watcher(NodeCluster cluster, String prefix, Random random) {
      super("watcher " + prefix);
      this.cluster = cluster;
      this.prefix = prefix;
      this.random = random;
    }

    @Override
    public void run() {
      while (running.get()) {
        List<Node> live = cluster.responsiveNodes();
        if (live.isEmpty()) {
          NodeCluster.sleep(Duration.ofMillis(100));
          continue;
        }
        Node node = live.get(random.nextInt(live.size()));
        String from = position.get();
        String path = "/v1/watch?prefix=" + encode(prefix) + (from == null ? "" : "&position=" + from);
        try {
          HttpResponse<InputStream> response = cluster.http().send(
              HttpRequest.newBuilder(cluster.uri(node, path)).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
          if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            if (response.statusCode() == 410 || response.statusCode() == 400) {
              throw new IllegalStateException("watch refused: " + body);
            }
            NodeCluster.sleep(Duration.ofMillis(200));
            continue;
          }
          current = response.body();
          try (BufferedReader lines = new BufferedReader(new InputStreamReader(current, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && running.get(); line = lines.readLine()) {
              JsonNode event = parse(line);
              String type = event.get("type").asText();
              if (type.equals("closed") && event.get("error").asText().equals("COMPACTED")) {
                throw new IllegalStateException("watch compacted: " + line);
              }
              if (type.equals("put") || type.equals("delete")) {
                events.add(event);
              }
              if (event.hasNonNull("position")) {
                position.set(event.get("position").asText());
              }
            }
          }
        } catch (java.io.IOException e) {
          // the node died or the connection broke: resume elsewhere
        } catch (InterruptedException e) {
          return;
        }
        reconnects++;
      }
    }

    void awaitCreated(Duration within) {
      long deadline = System.nanoTime() + within.toNanos();
      while (position.get() == null && System.nanoTime() < deadline) {
        NodeCluster.sleep(Duration.ofMillis(50));
      }
      assertThat(position.get()).as("the watch started").isNotNull();
    }

    /** Until every acknowledged write could have arrived and each key's last event is its final value. */
    void awaitPuts(long acknowledged, Map<String, JsonNode> finals, Duration within) {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline && !(events.size() >= acknowledged && endsOnFinals(finals))) {
        NodeCluster.sleep(Duration.ofMillis(100));
      }
    }

    private boolean endsOnFinals(Map<String, JsonNode> finals) {
      Map<String, Long> last = new HashMap<>();
      synchronized (events) {
        events.forEach(e -> last.put(e.get("key").asText(), e.get("mod_revision").asLong()));
      }
      return finals.entrySet().stream().allMatch(f ->
          Long.valueOf(f.getValue().get("mod_revision").asLong()).equals(last.get(f.getKey())));
    }

    /** Until every key put under the prefix was deleted too (contenders unlock and revoke at the end). */
    void awaitEveryKeyDeleted(Duration within) {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        Map<String, Integer> balance = new HashMap<>();
        synchronized (events) {
          events.forEach(e -> balance.merge(e.get("key").asText(), e.get("type").asText().equals("put") ? 1 : -1,
              Integer::sum));
        }
        if (balance.values().stream().allMatch(b -> b == 0)) {
          return;
        }
        NodeCluster.sleep(Duration.ofMillis(100));
      }
      throw new AssertionError("the queue's keys were not all deleted within " + within + ": " + events);
    }

    void stopAndJoin() throws Exception {
      running.set(false);
      InputStream in = current;
      if (in != null) {
        in.close();
      }
      join(30_000);
    }
  }

  // ---- the lock

  /**
   * In the one group that orders the lock's queue and the resource: a contender enters (writes "enter" with its
   * token) only once every older key in the queue is gone, so two never hold the lock at once; and the resource's
   * committed writes never take a token lower than one already written (the fencing).
   */
  private static void checkLock(List<Contender> contenders, List<JsonNode> queueEvents, String context) {
    Map<Long, Long> deletedAt = new HashMap<>();
    Map<String, Long> tokenOfKey = new HashMap<>();
    List<Long> tokens = new ArrayList<>();
    for (JsonNode event : queueEvents) {
      String key = event.get("key").asText();
      if (event.get("type").asText().equals("put") && event.get("version").asLong() == 1) {
        tokenOfKey.put(key, event.get("create_revision").asLong());
        tokens.add(event.get("create_revision").asLong());
      } else if (event.get("type").asText().equals("delete") && tokenOfKey.containsKey(key)) {
        deletedAt.put(tokenOfKey.remove(key), event.get("mod_revision").asLong());
      }
    }
    List<ResourceWrite> writes = new ArrayList<>();
    contenders.forEach(c -> writes.addAll(c.committed));
    writes.sort((a, b) -> Long.compare(a.revision, b.revision));
    assertThat(writes).as("the lock was taken" + context).isNotEmpty();
    long lastToken = -1;
    for (ResourceWrite write : writes) {
      assertThat(write.token).as("the fencing token never goes back: " + write + context)
          .isGreaterThanOrEqualTo(lastToken);
      lastToken = write.token;
      if (write.enter) {
        for (long olderToken : tokens) {
          if (olderToken < write.token) {
            assertThat(deletedAt.getOrDefault(olderToken, Long.MAX_VALUE))
                .as("entered while the key of token " + olderToken + " was still queued: " + write + context)
                .isLessThan(write.revision);
          }
        }
      }
    }
    assertThat(writes.stream().filter(w -> w.enter).mapToLong(w -> w.token).distinct().count())
        .as("the lock changed hands" + context).isGreaterThan(1);
  }

  private record ResourceWrite(String contender, long token, boolean enter, long revision) {}

  /** Takes the lock again and again on its own lease, and writes to the fenced resource while it holds it. */
  private static final class Contender extends Thread {
    final List<ResourceWrite> committed = Collections.synchronizedList(new ArrayList<>());
    private final NodeCluster cluster;
    private final String name;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String lease;
    private volatile long lastRenewed;

    Contender(NodeCluster cluster, String name, Random random) {
      super("contender-" + name);
      this.cluster = cluster;
      this.name = name;
      this.random = random;
    }

    private Node anyLive() {
      List<Node> live = cluster.responsiveNodes();
      return live.isEmpty() ? cluster.nodes().get(0) : live.get(random.nextInt(live.size()));
    }

    @Override
    public void run() {
      Thread keeper = new Thread(this::keepAlive, "keepalive-" + name);
      keeper.setDaemon(true);
      keeper.start();
      while (running.get()) {
        if (lease == null) {
          send(cluster, anyLive(), "POST", "/v1/leases?ttl=2s", null, false)
              .filter(r -> r.statusCode() == 200)
              .ifPresent(r -> {
                lastRenewed = System.nanoTime();
                lease = parse(r.body()).get("id").asText();
              });
          continue;
        }
        String held = lease;
        Optional<HttpResponse<String>> locked = send(cluster, anyLive(), "POST",
            "/v1/locks/res?lease=" + held + "&timeout=3s", null, false);
        if (locked.isEmpty() || locked.get().statusCode() != 200) {
          if (locked.isPresent() && locked.get().statusCode() == 404) {
            lease = null;
          }
          continue;
        }
        long token = parse(locked.get().body()).get("fencing_token").asLong();
        if (fencedWrite(token, true)) {
          NodeCluster.sleep(Duration.ofMillis(100 + random.nextInt(200)));
          fencedWrite(token, false);
        }
        send(cluster, anyLive(), "DELETE", "/v1/locks/res?lease=" + held, null, false);
        NodeCluster.sleep(Duration.ofMillis(random.nextInt(100)));
      }
      send(cluster, anyLive(), "DELETE", "/v1/leases/" + lease, null, false);
    }

    /** A compare-and-set on the resource that refuses a token below the last one it holds; true if committed. */
    private boolean fencedWrite(long token, boolean enter) {
      for (int attempt = 0; attempt < 5; attempt++) {
        Node node = anyLive();
        Optional<HttpResponse<String>> read = send(cluster, node, "GET", "/v1/kv/" + encode(RESOURCE) + "?timeout=2s", null, true);
        if (read.isEmpty() || (read.get().statusCode() != 200 && read.get().statusCode() != 404)) {
          continue;
        }
        long modRevision = 0;
        if (read.get().statusCode() == 200) {
          JsonNode current = parse(read.get().body());
          String value = new String(java.util.Base64.getDecoder().decode(current.get("value").asText()),
              StandardCharsets.UTF_8);
          if (Long.parseLong(value.split(" ")[0]) > token) {
            return false;
          }
          modRevision = current.get("mod_revision").asLong();
        }
        String value = token + " " + name + " " + (enter ? "enter" : "exit");
        Optional<HttpResponse<String>> written = send(cluster, node, "PUT",
            "/v1/kv/" + encode(RESOURCE) + "?timeout=2s&prev_revision=" + modRevision, value, false);
        if (written.isPresent() && written.get().statusCode() == 200) {
          committed.add(new ResourceWrite(name, token, enter,
              Long.parseLong(written.get().headers().firstValue("X-RaftRing-Mod-Revision").orElseThrow())));
          return true;
        }
        if (written.isEmpty() || written.get().statusCode() == 504) {
          // Unknown outcome: the write may be there; the check does not count it, and the next attempt reads.
          continue;
        }
      }
      return false;
    }

    private void keepAlive() {
      while (running.get()) {
        String current = lease;
        if (current != null) {
          Optional<HttpResponse<String>> renewed = send(cluster, anyLive(), "POST",
              "/v1/leases/" + current + "/keepalive", null, false);
          if (renewed.isPresent() && renewed.get().statusCode() == 200) {
            lastRenewed = System.nanoTime();
          } else if (renewed.isPresent() && renewed.get().statusCode() == 404) {
            lease = null;
          }
        }
        NodeCluster.sleep(Duration.ofMillis(400));
      }
    }

    void stopAndJoin() throws InterruptedException {
      running.set(false);
      join(30_000);
    }
  }

  // ---- HTTP

  private static Optional<HttpResponse<String>> send(NodeCluster cluster, Node node, String method, String path,
      String body, boolean json) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(cluster.uri(node, path)).timeout(Duration.ofSeconds(6))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      if (json) {
        request.header("Accept", "application/json");
      }
      return Optional.of(cluster.http().send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  private static String encode(String key) {
    return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
  }
}
