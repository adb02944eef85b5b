package io.raftring.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Watch latency under put load (bench/watch-bench.sh): W watchers on one node, each following one key of K, while C
 * clients put random keys in a closed loop through every node. Each value carries the nanoTime its put was sent, and
 * the watchers run in this same process, so a change's latency is measured from its put's send (an upper bound on
 * from-commit) and from its put's acknowledgement (the answer arrives once the leader applied it, so this is close to
 * from-commit and can be negative). Prints put throughput and latency, and watch latency percentiles.
 *
 * <pre>
 *   java -cp ... io.raftring.watch.WatchLoad WATCH_ENDPOINT PUT_ENDPOINTS WATCHERS CLIENTS KEYS DURATION_S WARMUP_S
 * </pre>
 */
public final class WatchLoad {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    URI watchEndpoint = URI.create(args[0]);
    List<URI> putEndpoints = new ArrayList<>();
    for (String e : args[1].split(",")) {
      putEndpoints.add(URI.create(e));
    }
    int watchers = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    int keys = Integer.parseInt(args[4]);
    Duration duration = Duration.ofSeconds(Long.parseLong(args[5]));
    Duration warmup = Duration.ofSeconds(Long.parseLong(args[6]));

    Recorder fromSend = new Recorder(3);
    Recorder fromAck = new Recorder(3);
    Recorder putLatency = new Recorder(3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong events = new AtomicLong();
    AtomicLong negativeFromAck = new AtomicLong();
    Map<String, Long> ackNanos = new ConcurrentHashMap<>();
    Map<String, Long> eventNanos = new ConcurrentHashMap<>();

    HttpClient watchHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(2)).build();
    CountDownLatch created = new CountDownLatch(watchers);
    for (int w = 0; w < watchers; w++) {
      String key = key(w % keys);
      HttpRequest request = HttpRequest.newBuilder(watchEndpoint.resolve("/v1/watch?key=" + key)).GET().build();
      watchHttp.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
          long now = System.nanoTime();
          try {
            JsonNode event = JSON.readTree(line);
            String type = event.get("type").asText();
            if (type.equals("created")) {
              created.countDown();
            } else if (type.equals("put") && measuring.get()) {
              String value = new String(Base64.getDecoder().decode(event.get("value").asText()),
                  StandardCharsets.US_ASCII);
              fromSend.recordValue(Math.max(0, now - Long.parseLong(value)));
              events.incrementAndGet();
              String id = event.get("key").asText() + "@" + event.get("mod_revision").asLong();
              Long acked = ackNanos.remove(id);
              if (acked != null) {
                record(fromAck, negativeFromAck, now - acked);
              } else {
                eventNanos.put(id, now);
              }
            }
          } catch (Exception e) {
            // a line that is not an event
          }
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
      }));
    }
    if (!created.await(120, TimeUnit.SECONDS)) {
      System.out.println("only " + (watchers - created.getCount()) + " of " + watchers + " watches started");
    }

    HttpClient putHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong puts = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      URI endpoint = putEndpoints.get(c % putEndpoints.size());
      Random random = new Random(c);
      Thread t = new Thread(() -> {
        while (running.get()) {
          String key = key(random.nextInt(keys));
          long sent = System.nanoTime();
          HttpRequest put = HttpRequest.newBuilder(endpoint.resolve("/v1/kv/" + key))
              .timeout(Duration.ofSeconds(10))
              .PUT(HttpRequest.BodyPublishers.ofString(Long.toString(sent))).build();
          try {
            HttpResponse<Void> answer = putHttp.send(put, HttpResponse.BodyHandlers.discarding());
            long now = System.nanoTime();
            if (answer.statusCode() != 200) {
              failed.incrementAndGet();
              continue;
            }
            if (measuring.get()) {
              puts.incrementAndGet();
              putLatency.recordValue(now - sent);
              String id = key + "@" + answer.headers().firstValue("X-RaftRing-Mod-Revision").orElse("?");
              Long seen = eventNanos.remove(id);
              if (seen != null) {
                record(fromAck, negativeFromAck, seen - now);
              } else if (watchers > 0) {
                ackNanos.put(id, now);
              }
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }, "put-" + c);
      t.start();
      threads.add(t);
    }
    Thread.sleep(warmup.toMillis());
    fromSend.getIntervalHistogram();
    fromAck.getIntervalHistogram();
    putLatency.getIntervalHistogram();
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    running.set(false);
    for (Thread t : threads) {
      t.join(15_000);
    }
    // Late events of puts acknowledged in the window still count for latency: wait a little for them.
    Thread.sleep(1_000);
    var put = putLatency.getIntervalHistogram();
    var send = fromSend.getIntervalHistogram();
    var ack = fromAck.getIntervalHistogram();
    System.out.printf(Locale.ROOT, "watchers=%d clients=%d keys=%d: puts %.0f/s (p50 %.1f ms, p99 %.1f ms, %d failed);"
            + " events %d of %d puts; watch latency from send p50 %.1f p99 %.1f max %.1f ms;"
            + " from ack p50 %.1f p99 %.1f max %.1f ms (%d arrived before the ack)%n",
        watchers, clients, keys, puts.get() * 1e9 / elapsed, ms(put.getValueAtPercentile(50)),
        ms(put.getValueAtPercentile(99)), failed.get(), events.get(), puts.get(),
        ms(send.getValueAtPercentile(50)), ms(send.getValueAtPercentile(99)), ms(send.getMaxValue()),
        ms(ack.getValueAtPercentile(50)), ms(ack.getValueAtPercentile(99)), ms(ack.getMaxValue()),
        negativeFromAck.get());
    System.exit(0);
  }

  /** From-ack latencies can be negative (the event beat the answer); they count as 0 and are counted apart. */
  private static void record(Recorder recorder, AtomicLong negative, long nanos) {
    if (nanos < 0) {
      negative.incrementAndGet();
    }
    recorder.recordValue(Math.max(0, nanos));
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "wlk%05d", i);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
