package io.raftring.watch;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.typesafe.config.ConfigFactory;
import io.raftring.bench.CpuMeter;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * What a node's watch path costs per event, without HTTP, Raft or the network (bench/watch-fanout.sh): one node's
 * histories, feed and watch service in this process; W watches, each of one of W keys spread over 4 groups, run as
 * W streams of their own (as W {@code GET}s would) or as S shared streams ({@code POST}); a driver thread applies
 * puts of random keys to the histories at RATE per second, as the replicas' state machines would. Prints the events
 * delivered, their latency from the apply, and the process CPU per delivered event without the driver's own thread.
 *
 * <pre>
 *   java -cp ... io.raftring.watch.WatchFanout WATCHERS RATE DURATION_S WARMUP_S [STREAMS]
 * </pre>
 */
public final class WatchFanout {

  private static final int GROUPS = 4;

  public static void main(String[] args) throws Exception {
    int watchers = Integer.parseInt(args[0]);
    int rate = Integer.parseInt(args[1]);
    Duration duration = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration warmup = Duration.ofSeconds(Long.parseLong(args[3]));
    int streams = args.length > 4 ? Integer.parseInt(args[4]) : 0;

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fanout",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.actor.provider = local")
            .withFallback(ConfigFactory.load()));
    WatchSettings settings = WatchSettings.fromConfig(system.settings().config());
    NodeHistories histories = new NodeHistories(settings.history(), System::nanoTime);
    List<KvListener> listeners = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      groups.add("g" + g);
      listeners.add(histories.listenerFor("g" + g));
    }
    ActorRef<FeedServer.Command> feed = system.systemActorOf(
        FeedServer.create(histories, settings.progressInterval()), "feed", akka.actor.typed.Props.empty());
    WatchService service = new WatchService(settings, groups, WatchFanout::groupOf, key -> key,
        group -> List.of("here"), node -> feed);

    Recorder latency = new Recorder(3);
    AtomicLong delivered = new AtomicLong();
    CountDownLatch created = new CountDownLatch(watchers);
    if (streams <= 0) {
      for (int w = 0; w < watchers; w++) {
        service.watch(WatchFilter.key(key(w)), null)
            .runWith(Sink.foreach(event -> received(event, created, latency, delivered)), system);
      }
    } else {
      List<List<WatchSpec>> specs = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        specs.add(new ArrayList<>());
      }
      for (int w = 0; w < watchers; w++) {
        specs.get(w % streams).add(new WatchSpec(WatchFilter.key(key(w)), null));
      }
      for (List<WatchSpec> stream : specs) {
        service.watchAll(stream).collectType(WatchItem.Event.class).map(WatchItem.Event::event)
            .runWith(Sink.foreach(event -> received(event, created, latency, delivered)), system);
      }
    }
    if (!created.await(60, TimeUnit.SECONDS)) {
      System.out.println("only " + (watchers - created.getCount()) + " of " + watchers + " watches started");
    }

    long[] revisions = new long[GROUPS];
    Random random = new Random(1);
    long periodNanos = 1_000_000_000L / rate;
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    drive(listeners, revisions, random, watchers, periodNanos, warmupEnd);
    latency.getIntervalHistogram();
    long deliveredBefore = delivered.get();
    long cpuBefore = CpuMeter.processCpuNanos();
    long driverBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long applied = drive(listeners, revisions, random, watchers, periodNanos, start + duration.toNanos());
    long elapsed = System.nanoTime() - start;
    long driverCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - driverBefore;
    long cpu = CpuMeter.processCpuNanos() - cpuBefore - driverCpu;
    long events = delivered.get() - deliveredBefore;
    var histogram = latency.getIntervalHistogram();
    System.out.printf(Locale.ROOT, "watchers=%d streams=%s rate=%d/s: applied %d, delivered %d; latency from apply"
            + " p50 %.2f p99 %.2f max %.2f ms; cores %.3f without the driver (%.3f the driver); CPU per event %.1f us%n",
        watchers, streams <= 0 ? "one each" : Integer.toString(streams), rate, applied, events,
        histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
        histogram.getMaxValue() / 1e6, cpu / (double) elapsed, driverCpu / (double) elapsed,
        events == 0 ? 0.0 : cpu / 1e3 / events);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void received(WatchEvent event, CountDownLatch created, Recorder latency, AtomicLong delivered) {
    if (event instanceof WatchEvent.Created) {
      created.countDown();
    } else if (event instanceof WatchEvent.Changed changed) {
      latency.recordValue(Math.max(0, System.nanoTime() - ByteBuffer.wrap(changed.event().keyValue().value())
          .getLong()));
      delivered.incrementAndGet();
    }
  }

  /** Applies a put of a random watched key every period until {@code endNanos}; returns how many. */
  private static long drive(List<KvListener> listeners, long[] revisions, Random random, int keys, long periodNanos,
      long endNanos) {
    long next = System.nanoTime();
    long applied = 0;
    while (next < endNanos) {
      long now = System.nanoTime();
      if (now < next) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - now);
        continue;
      }
      int k = random.nextInt(keys);
      int g = groupIndex(key(k));
      long revision = ++revisions[g];
      byte[] value = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
      listeners.get(g).applied(revision,
          List.of(KvEvent.put(new KeyValue(key(k), value, revision, revision, 1), 0)), List.of());
      applied++;
      next += periodNanos;
    }
    return applied;
  }

  private static String key(int k) {
    return "key-" + k;
  }

  private static int groupIndex(String key) {
    return Math.floorMod(key.hashCode(), GROUPS);
  }

  private static String groupOf(String key) {
    return "g" + groupIndex(key);
  }
}
