package io.raftring.lease;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Many leases kept alive (bench/lease-bench.sh): grants L leases of TTL T through the given nodes, then keeps each
 * alive every T/3, spread evenly over time and over the nodes, for D seconds, and prints how many keep-alives were
 * answered 200, 404 (a lease lost: should be none) or otherwise. MODE {@code single} (the default) sends one
 * {@code POST /v1/leases/{id}/keepalive} per lease, as many clients of one lease each would; {@code batch} sends,
 * every 100 ms, one {@code POST /v1/leases/keepalive} per node naming the leases due in that tick, as one client
 * holding them all would (etcd's clients multiplex theirs over one stream).
 *
 * <pre>
 *   java -cp ... io.raftring.lease.LeaseLoad ENDPOINTS LEASES TTL_S DURATION_S [single|batch]
 * </pre>
 */
public final class LeaseLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TICK = Duration.ofMillis(100);

  public static void main(String[] args) throws Exception {
    List<URI> endpoints = new ArrayList<>();
    for (String e : args[0].split(",")) {
      endpoints.add(URI.create(e));
    }
    int leases = Integer.parseInt(args[1]);
    Duration ttl = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
    boolean batch = args.length > 4 && args[4].equals("batch");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(2)).build();
    // At most this many requests in flight, so the tool never queues without bound behind a slow node.
    Semaphore inFlight = new Semaphore(256);

    AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(leases);
    AtomicLong ok = new AtomicLong();
    AtomicLong notFound = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    // Keep-alives start with the grants, each lease's once it is granted: granting many can take longer than a TTL.
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    long periodNanos = ttl.toNanos() / 3;
    if (batch) {
      scheduleBatches(http, endpoints, ids, periodNanos, scheduler, inFlight, ok, notFound, other, skipped);
    } else {
      scheduleSingles(http, endpoints, ids, periodNanos, scheduler, inFlight, ok, notFound, other, skipped);
    }

    AtomicLong grantFailures = new AtomicLong();
    long grantStart = System.nanoTime();
    // Grants that fail (a timeout on a loaded machine) are asked again, up to three rounds.
    for (int round = 0; round < 3; round++) {
      grantFailures.set(0);
      for (int i = 0; i < leases; i++) {
        if (ids.get(i) != null) {
          continue;
        }
        int lease = i;
        inFlight.acquire();
        http.sendAsync(post(endpoints.get(i % endpoints.size()), "/v1/leases?ttl=" + ttl.toSeconds() + "s"),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete((answer, error) -> {
              inFlight.release();
              try {
                if (error == null && answer.statusCode() == 200) {
                  ids.set(lease, JSON.readTree(answer.body()).get("id").asText());
                } else {
                  grantFailures.incrementAndGet();
                }
              } catch (Exception e) {
                grantFailures.incrementAndGet();
              }
            });
      }
      inFlight.acquire(256);
      inFlight.release(256);
      if (grantFailures.get() == 0) {
        break;
      }
    }
    System.out.printf(Locale.ROOT, "granted %d leases of %d s in %.1f s (%d failed; %d lost before the end of the"
        + " grants)%n", leases - grantFailures.get(), ttl.toSeconds(), (System.nanoTime() - grantStart) / 1e9,
        grantFailures.get(), notFound.get());
    for (AtomicLong counter : List.of(ok, notFound, other, skipped)) {
      counter.set(0);
    }
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    scheduler.shutdownNow();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "keep-alives for %.0f s: %.0f/s answered 200; %d answered 404, %d failed otherwise,"
        + " %d not sent (256 in flight)%n", seconds, ok.get() / seconds, notFound.get(), other.get(), skipped.get());
    System.exit(0);
  }

  /** One keep-alive per lease every period, spread evenly over it; a lease not granted yet is passed over. */
  private static void scheduleSingles(HttpClient http, List<URI> endpoints, AtomicReferenceArray<String> ids,
      long periodNanos, ScheduledExecutorService scheduler, Semaphore inFlight, AtomicLong ok, AtomicLong notFound,
      AtomicLong other, AtomicLong skipped) {
    for (int i = 0; i < ids.length(); i++) {
      int lease = i;
      URI endpoint = endpoints.get(i % endpoints.size());
      scheduler.scheduleAtFixedRate(() -> {
        String id = ids.get(lease);
        if (id == null) {
          return;
        }
        if (!inFlight.tryAcquire()) {
          skipped.incrementAndGet();
          return;
        }
        http.sendAsync(post(endpoint, "/v1/leases/" + id + "/keepalive"), HttpResponse.BodyHandlers.discarding())
            .whenComplete((answer, error) -> {
              inFlight.release();
              if (error == null && answer.statusCode() == 200) {
                ok.incrementAndGet();
              } else if (error == null && answer.statusCode() == 404) {
                notFound.incrementAndGet();
              } else {
                other.incrementAndGet();
              }
            });
      }, periodNanos * i / ids.length(), periodNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Every TICK, one keep-alive per endpoint naming the leases whose turn it is (each lease once a period). */
  private static void scheduleBatches(HttpClient http, List<URI> endpoints, AtomicReferenceArray<String> ids,
      long periodNanos, ScheduledExecutorService scheduler, Semaphore inFlight, AtomicLong ok, AtomicLong notFound,
      AtomicLong other, AtomicLong skipped) {
    int ticks = (int) Math.max(1, periodNanos / TICK.toNanos());
    AtomicLong tick = new AtomicLong();
    scheduler.scheduleAtFixedRate(() -> {
      int turn = (int) (tick.getAndIncrement() % ticks);
      for (int e = 0; e < endpoints.size(); e++) {
        List<String> due = new ArrayList<>();
        for (int i = e; i < ids.length(); i += endpoints.size()) {
          String id = ids.get(i);
          if (id != null && (int) ((long) i * ticks / ids.length()) == turn) {
            due.add(id);
          }
        }
        if (due.isEmpty()) {
          continue;
        }
        if (!inFlight.tryAcquire()) {
          skipped.addAndGet(due.size());
          continue;
        }
        String body = "{\"ids\":[\"" + String.join("\",\"", due) + "\"]}";
        http.sendAsync(HttpRequest.newBuilder(endpoints.get(e).resolve("/v1/leases/keepalive"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
            .whenComplete((answer, error) -> {
              inFlight.release();
              if (error != null || answer.statusCode() != 200) {
                other.addAndGet(due.size());
                return;
              }
              try {
                for (com.fasterxml.jackson.databind.JsonNode lease : JSON.readTree(answer.body()).get("leases")) {
                  if (lease.has("ttl_ms")) {
                    ok.incrementAndGet();
                  } else if ("NOT_FOUND".equals(lease.path("error").asText())) {
                    notFound.incrementAndGet();
                  } else {
                    other.incrementAndGet();
                  }
                }
              } catch (Exception parse) {
                other.addAndGet(due.size());
              }
            });
      }
    }, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static HttpRequest post(URI endpoint, String path) {
    return HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
  }
}
