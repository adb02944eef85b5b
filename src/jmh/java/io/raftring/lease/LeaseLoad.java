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

/**
 * Many leases kept alive (bench/lease-bench.sh): grants L leases of TTL T through the given nodes, then sends each one
 * a keep-alive every T/3, spread evenly over time and over the nodes, for D seconds, and prints how many keep-alives
 * were answered 200, 404 (a lease lost: should be none) or otherwise.
 *
 * <pre>
 *   java -cp ... io.raftring.lease.LeaseLoad ENDPOINTS LEASES TTL_S DURATION_S
 * </pre>
 */
public final class LeaseLoad {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    List<URI> endpoints = new ArrayList<>();
    for (String e : args[0].split(",")) {
      endpoints.add(URI.create(e));
    }
    int leases = Integer.parseInt(args[1]);
    Duration ttl = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(2)).build();
    // At most this many requests in flight, so the tool never queues without bound behind a slow node.
    Semaphore inFlight = new Semaphore(256);

    String[] ids = new String[leases];
    AtomicLong grantFailures = new AtomicLong();
    long grantStart = System.nanoTime();
    // Grants that fail (a timeout on a loaded machine) are asked again, up to three rounds.
    for (int round = 0; round < 3; round++) {
      grantFailures.set(0);
      for (int i = 0; i < leases; i++) {
        if (ids[i] != null) {
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
                  ids[lease] = JSON.readTree(answer.body()).get("id").asText();
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
    System.out.printf(Locale.ROOT, "granted %d leases of %d s in %.1f s (%d failed)%n", leases - grantFailures.get(),
        ttl.toSeconds(), (System.nanoTime() - grantStart) / 1e9, grantFailures.get());

    AtomicLong ok = new AtomicLong();
    AtomicLong notFound = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    long periodNanos = ttl.toNanos() / 3;
    for (int i = 0; i < leases; i++) {
      if (ids[i] == null) {
        continue;
      }
      String id = ids[i];
      URI endpoint = endpoints.get(i % endpoints.size());
      scheduler.scheduleAtFixedRate(() -> {
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
      }, periodNanos * i / leases, periodNanos, TimeUnit.NANOSECONDS);
    }
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    scheduler.shutdownNow();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "keep-alives for %.0f s: %.0f/s answered 200; %d answered 404, %d failed otherwise,"
        + " %d not sent (256 in flight)%n", seconds, ok.get() / seconds, notFound.get(), other.get(), skipped.get());
    System.exit(0);
  }

  private static HttpRequest post(URI endpoint, String path) {
    return HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
  }
}
