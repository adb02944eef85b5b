package io.raftring.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.bench.CpuMeter;
import io.raftring.bench.GroupTerms;
import io.raftring.bench.HttpTransport;
import io.raftring.bench.SocketHttpTransport;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Watch latency under put load (bench/watch-bench.sh): W watchers on one node, each following one key of K, while C
 * clients put random keys in a closed loop through every node. Each value carries the nanoTime its put was sent, and
 * the watchers run in this same process, so a change's latency is measured from its put's send (an upper bound on
 * from-commit) and from its put's acknowledgement (the answer arrives once the leader applied it, so this is close to
 * from-commit and can be negative). Prints put throughput and latency, and watch latency percentiles, and what the
 * measured window cost in CPU: each node's (its {@code process_cpu_seconds_total}) and this tool's own, which shares
 * the machine with the nodes. Both sides use lean clients ({@link SocketHttpTransport} for the puts, one selector
 * thread for every watch stream: {@link WatcherSockets}), so that the tool takes as little of the nodes' CPU as it can.
 *
 * <pre>
 *   java -cp ... io.raftring.watch.WatchLoad WATCH_ENDPOINT PUT_ENDPOINTS WATCHERS CLIENTS KEYS DURATION_S WARMUP_S
 *       [STREAMS]
 * </pre>
 *
 * With STREAMS (default 0: one {@code GET /v1/watch} connection per watcher), the watchers share that many
 * {@code POST /v1/watch} streams instead, as etcd's clients share one stream among their watches.
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
    int streams = args.length > 7 ? Integer.parseInt(args[7]) : 0;

    Recorder fromSend = new Recorder(3);
    Recorder putLatency = new Recorder(3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong events = new AtomicLong();
    Map<String, Long> ackNanos = new ConcurrentHashMap<>();
    Map<String, Seen> eventsSeen = new ConcurrentHashMap<>();
    GroupTerms termsBefore = GroupTerms.read(watchEndpoint);
    FromAck fromAck = new FromAck(termsBefore);

    CountDownLatch created = new CountDownLatch(watchers);
    // Why the server ended watches (their closed lines), by code and the start of the message.
    Map<String, AtomicLong> closedBy = new ConcurrentHashMap<>();
    WatcherSockets watches = new WatcherSockets(watchEndpoint, requests(watchers, keys, streams), (stream, line) -> {
      long now = System.nanoTime();
      try {
        JsonNode event = JSON.readTree(line);
        String type = event.get("type").asText();
        if (type.equals("created")) {
          created.countDown();
        } else if (type.equals("closed")) {
          String message = event.path("message").asText();
          closedBy.computeIfAbsent(event.path("error").asText() + ": "
              + message.substring(0, Math.min(80, message.length())), k -> new AtomicLong()).incrementAndGet();
        } else if (type.equals("put") && measuring.get()) {
          String value = new String(Base64.getDecoder().decode(event.get("value").asText()),
              StandardCharsets.US_ASCII);
          fromSend.recordValue(Math.max(0, now - Long.parseLong(value)));
          events.incrementAndGet();
          String id = event.get("key").asText() + "@" + event.get("mod_revision").asLong();
          String group = event.get("group").asText();
          Long acked = ackNanos.remove(id);
          if (acked != null) {
            fromAck.record(group, now - acked);
          } else {
            eventsSeen.put(id, new Seen(now, group));
          }
        }
      } catch (Exception e) {
        // a line that is not an event
      }
    });
    if (!created.await(120, TimeUnit.SECONDS)) {
      System.out.println("only " + (watchers - created.getCount()) + " of " + watchers + " watches started");
    }

    SocketHttpTransport putHttp = new SocketHttpTransport(putEndpoints, Duration.ofSeconds(10));
    AtomicLong puts = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int slot = c;
      Random random = new Random(c);
      Thread t = new Thread(() -> {
        while (running.get()) {
          String key = key(random.nextInt(keys));
          long sent = System.nanoTime();
          try {
            HttpTransport.Response answer = putHttp.send(slot, "PUT", "/v1/kv/" + key, "application/octet-stream",
                Long.toString(sent).getBytes(StandardCharsets.US_ASCII)).join();
            long now = System.nanoTime();
            if (answer.status() != 200) {
              failed.incrementAndGet();
              continue;
            }
            if (measuring.get()) {
              puts.incrementAndGet();
              putLatency.recordValue(now - sent);
              String id = key + "@" + answer.modRevision();
              Seen seen = eventsSeen.remove(id);
              if (seen != null) {
                fromAck.record(seen.group(), seen.nanos() - now);
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
    fromAck.reset();
    putLatency.getIntervalHistogram();
    double[] nodeCpuBefore = nodeCpuSeconds(putHttp, putEndpoints.size());
    long toolCpuBefore = CpuMeter.processCpuNanos();
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    long toolCpu = CpuMeter.processCpuNanos() - toolCpuBefore;
    double[] nodeCpu = nodeCpuSeconds(putHttp, putEndpoints.size());
    running.set(false);
    for (Thread t : threads) {
      t.join(15_000);
    }
    // Late events of puts acknowledged in the window still count for latency: wait a little for them.
    Thread.sleep(1_000);
    var put = putLatency.getIntervalHistogram();
    var send = fromSend.getIntervalHistogram();
    var led = fromAck.led.getIntervalHistogram();
    var followed = fromAck.followed.getIntervalHistogram();
    var ack = led.copy();
    ack.add(followed);
    System.out.printf(Locale.ROOT, "watchers=%d clients=%d keys=%d: puts %.0f/s (p50 %.1f ms, p99 %.1f ms, %d failed);"
            + " events %d of %d puts; watch latency from send p50 %.1f p99 %.1f max %.1f ms;"
            + " from ack p50 %.1f p99 %.1f max %.1f ms (%d arrived before the ack)%n",
        watchers, clients, keys, puts.get() * 1e9 / elapsed, ms(put.getValueAtPercentile(50)),
        ms(put.getValueAtPercentile(99)), failed.get(), events.get(), puts.get(),
        ms(send.getValueAtPercentile(50)), ms(send.getValueAtPercentile(99)), ms(send.getMaxValue()),
        ms(ack.getValueAtPercentile(50)), ms(ack.getValueAtPercentile(99)), ms(ack.getMaxValue()),
        fromAck.negative.get());
    StringBuilder cores = new StringBuilder();
    for (int i = 0; i < nodeCpu.length; i++) {
      cores.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f",
          (nodeCpu[i] - nodeCpuBefore[i]) * 1e9 / elapsed));
    }
    System.out.printf(Locale.ROOT, "cores busy in the window: nodes %s, this tool %.2f%n", cores,
        toolCpu / (double) elapsed);
    System.out.printf(Locale.ROOT, "from ack, groups the watched node %s leads: p50 %.1f p99 %.1f ms (%d events);"
            + " the others: p50 %.1f p99 %.1f ms (%d events)%n", termsBefore.node(),
        ms(led.getValueAtPercentile(50)), ms(led.getValueAtPercentile(99)), led.getTotalCount(),
        ms(followed.getValueAtPercentile(50)), ms(followed.getValueAtPercentile(99)), followed.getTotalCount());
    String streamsOpened = watchers == 0 ? "none"
        : streams > 0 ? Math.min(streams, watchers) + " POSTed, shared" : watchers + ", one per watcher";
    if (!closedBy.isEmpty()) {
      System.out.println("watches the server closed: " + closedBy);
    }
    System.out.printf(Locale.ROOT, "watch streams (%s) that ended early: %d; leaders %s; leadership %s%n",
        streamsOpened, watches.ended(), termsBefore.leaders(),
        termsBefore.changesUntil(GroupTerms.read(watchEndpoint)));
    System.exit(0);
  }

  /** One GET per watcher, or with {@code streams > 0} the watchers dealt round-robin to that many POSTed streams. */
  private static List<WatcherSockets.Request> requests(int watchers, int keys, int streams) {
    List<WatcherSockets.Request> requests = new ArrayList<>();
    if (streams <= 0) {
      for (int w = 0; w < watchers; w++) {
        requests.add(WatcherSockets.Request.get("/v1/watch?key=" + key(w % keys)));
      }
      return requests;
    }
    List<StringBuilder> bodies = new ArrayList<>();
    for (int s = 0; s < Math.min(streams, watchers); s++) {
      bodies.add(new StringBuilder());
    }
    for (int w = 0; w < watchers; w++) {
      StringBuilder body = bodies.get(w % bodies.size());
      body.append(body.length() == 0 ? "" : ",").append("{\"key\":\"").append(key(w % keys)).append("\"}");
    }
    for (StringBuilder body : bodies) {
      requests.add(new WatcherSockets.Request("/v1/watch", "{\"watches\":[" + body + "]}"));
    }
    return requests;
  }

  /** Each node's process CPU seconds so far, from its metrics (node i is {@code http}'s endpoint i); NaN if unknown. */
  private static double[] nodeCpuSeconds(HttpTransport http, int nodes) {
    double[] seconds = new double[nodes];
    for (int i = 0; i < nodes; i++) {
      seconds[i] = Double.NaN;
      try {
        String metrics = new String(http.send(i, "GET", "/metrics", null, null).join().body(), StandardCharsets.UTF_8);
        for (String line : metrics.split("\n")) {
          if (line.startsWith("process_cpu_seconds_total ")) {
            seconds[i] = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
          }
        }
      } catch (RuntimeException e) {
        // NaN: unknown
      }
    }
    return seconds;
  }

  /** When a watch event arrived, for a put whose answer had not come yet. */
  private record Seen(long nanos, String group) {}

  /**
   * Watch latency from the put's answer, apart for the groups the watched node leads (it applies as it answers) and
   * the rest (it applies once it hears of the commit and its own write is durable). Negative latencies (the event
   * beat the answer) count as 0 and are counted apart.
   */
  private static final class FromAck {
    final Recorder led = new Recorder(3);
    final Recorder followed = new Recorder(3);
    final AtomicLong negative = new AtomicLong();
    private final GroupTerms terms;

    FromAck(GroupTerms terms) {
      this.terms = terms;
    }

    void record(String group, long nanos) {
      if (nanos < 0) {
        negative.incrementAndGet();
      }
      (terms.ledHere(group) ? led : followed).recordValue(Math.max(0, nanos));
    }

    void reset() {
      led.getIntervalHistogram();
      followed.getIntervalHistogram();
      negative.set(0);
    }
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "wlk%05d", i);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
