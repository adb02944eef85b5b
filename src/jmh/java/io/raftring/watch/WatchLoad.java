package io.raftring.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.bench.GroupTerms;
import io.raftring.bench.HttpTransport;
import io.raftring.bench.SocketHttpTransport;
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
    Map<String, String> eventGroups = new ConcurrentHashMap<>();
    // From-ack latency apart for the groups the watched node leads (it applies as it answers) and the rest (it applies
    // once it hears of the commit, and its own write is done).
    Recorder fromAckLed = new Recorder(3);
    Recorder fromAckFollowed = new Recorder(3);
    GroupTerms termsBefore = GroupTerms.read(watchEndpoint);

    CountDownLatch created = new CountDownLatch(watchers);
    List<String> targets = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      targets.add("/v1/watch?key=" + key(w % keys));
    }
    WatcherSockets watches = new WatcherSockets(watchEndpoint, targets, (watch, line) -> {
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
          String group = event.get("group").asText();
          Long acked = ackNanos.remove(id);
          if (acked != null) {
            record(fromAck, negativeFromAck, now - acked);
            (termsBefore.ledHere(group) ? fromAckLed : fromAckFollowed).recordValue(Math.max(0, now - acked));
          } else {
            eventGroups.put(id, group);
            eventNanos.put(id, now);
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
              Long seen = eventNanos.remove(id);
              if (seen != null) {
                record(fromAck, negativeFromAck, seen - now);
                String group = eventGroups.remove(id);
                (group != null && termsBefore.ledHere(group) ? fromAckLed : fromAckFollowed)
                    .recordValue(Math.max(0, seen - now));
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
    fromAckLed.getIntervalHistogram();
    fromAckFollowed.getIntervalHistogram();
    putLatency.getIntervalHistogram();
    HttpClient metricsHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    double[] nodeCpuBefore = nodeCpuSeconds(metricsHttp, putEndpoints);
    long toolCpuBefore = toolCpuNanos();
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    long toolCpu = toolCpuNanos() - toolCpuBefore;
    double[] nodeCpu = nodeCpuSeconds(metricsHttp, putEndpoints);
    running.set(false);
    for (Thread t : threads) {
      t.join(15_000);
    }
    // Late events of puts acknowledged in the window still count for latency: wait a little for them.
    Thread.sleep(1_000);
    var put = putLatency.getIntervalHistogram();
    var send = fromSend.getIntervalHistogram();
    var ack = fromAck.getIntervalHistogram();
    var led = fromAckLed.getIntervalHistogram();
    var followed = fromAckFollowed.getIntervalHistogram();
    System.out.printf(Locale.ROOT, "watchers=%d clients=%d keys=%d: puts %.0f/s (p50 %.1f ms, p99 %.1f ms, %d failed);"
            + " events %d of %d puts; watch latency from send p50 %.1f p99 %.1f max %.1f ms;"
            + " from ack p50 %.1f p99 %.1f max %.1f ms (%d arrived before the ack)%n",
        watchers, clients, keys, puts.get() * 1e9 / elapsed, ms(put.getValueAtPercentile(50)),
        ms(put.getValueAtPercentile(99)), failed.get(), events.get(), puts.get(),
        ms(send.getValueAtPercentile(50)), ms(send.getValueAtPercentile(99)), ms(send.getMaxValue()),
        ms(ack.getValueAtPercentile(50)), ms(ack.getValueAtPercentile(99)), ms(ack.getMaxValue()),
        negativeFromAck.get());
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
    System.out.printf(Locale.ROOT, "watch streams that ended early: %d; leaders %s; leadership %s%n", watches.ended(),
        termsBefore.leaders(), termsBefore.changesUntil(GroupTerms.read(watchEndpoint)));
    System.exit(0);
  }

  /** Each node's process CPU seconds so far, from its metrics; NaN for a node that did not say. */
  private static double[] nodeCpuSeconds(HttpClient http, List<URI> nodes) {
    double[] seconds = new double[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      seconds[i] = Double.NaN;
      try {
        String metrics = http.send(HttpRequest.newBuilder(nodes.get(i).resolve("/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
          if (line.startsWith("process_cpu_seconds_total ")) {
            seconds[i] = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
          }
        }
      } catch (Exception e) {
        // NaN: unknown
      }
    }
    return seconds;
  }

  private static long toolCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
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
