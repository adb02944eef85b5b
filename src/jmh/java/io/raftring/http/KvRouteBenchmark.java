package io.raftring.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.headers.Accept;
import akka.http.javadsl.model.headers.RawRequestURI;
import akka.http.scaladsl.TimeoutAccess;
import akka.japi.function.Function;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftring.admission.Admission;
import io.raftring.api.ClusterApi;
import io.raftring.api.ClusterStatus;
import io.raftring.api.KeyPlacement;
import io.raftring.api.KvApi;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.raft.ReadConsistency;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The HTTP edge alone: a KV request through the node's whole route (metrics, error and rejection handling, admission
 * control when on, KvRoutes), in process and without a network, to a KvApi that answers at once. So the figure is
 * what the edge costs per request apart from Raft, connection handling and HTTP parsing.
 *
 * <p>Requests are handled by {@code Route.handler(system)}, the function a server binding runs per request. They
 * carry the {@code Raw-Request-URI} header as the node's server adds it. {@code putStrict} has its 256-byte body in
 * memory, as akka-http delivers a small body that arrived with the headers; {@code putStreamed} has it as a stream,
 * as for a body that arrived later or was chunked. Run through bench/edge-bench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KvRouteBenchmark {

  /** Whether admission control (rate limits off, as by default; bounded in-flight requests) guards the KV routes. */
  @Param({"off", "on"})
  public String admission;

  private static final String KEY = "bench-00000042";
  private static final String PATH = "/v1/kv/" + KEY;
  private static final int VALUE_BYTES = 256;

  private ActorSystem<Void> system;
  private Admission admissionControl;
  private Function<HttpRequest, CompletionStage<HttpResponse>> handler;
  private HttpRequest get;
  private HttpRequest getJson;
  private HttpRequest putStrict;
  private HttpRequest putStreamed;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Config config = ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), "route-bench", config);
    HttpSettings settings = HttpSettings.fromConfig(config);
    admissionControl = admission.equals("on") ? new Admission(Admission.Settings.fromConfig(config)) : null;
    handler = HttpServer.routes(system, new ImmediateKvApi(), new IdleClusterApi(), new MetricsRegistry(), settings,
        admissionControl).handler(Adapter.toClassic(system));

    byte[] value = new byte[VALUE_BYTES];
    Arrays.fill(value, (byte) 'v');
    get = asTheServerPassesIt(HttpRequest.GET(PATH));
    getJson = get.addHeader(Accept.create(MediaTypes.APPLICATION_JSON.toRange()));
    putStrict = asTheServerPassesIt(HttpRequest.PUT(PATH))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, value));
    putStreamed = asTheServerPassesIt(HttpRequest.PUT(PATH))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, VALUE_BYTES,
            Source.single(ByteString.fromArray(value))));
    for (HttpRequest request : List.of(get, getJson, putStrict, putStreamed)) {
      HttpResponse response = handle(request);
      if (response.status().intValue() != 200 || !response.entity().isStrict()) {
        throw new IllegalStateException(request + " was answered " + response);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (admissionControl != null) {
      admissionControl.close();
    }
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Benchmark
  public HttpResponse getValue() throws Exception {
    return handle(get);
  }

  @Benchmark
  public HttpResponse getValueAsJson() throws Exception {
    return handle(getJson);
  }

  @Benchmark
  public HttpResponse putStrict() throws Exception {
    return handle(putStrict);
  }

  @Benchmark
  public HttpResponse putStreamed() throws Exception {
    return handle(putStreamed);
  }

  /**
   * With what the node's server adds to every request: the raw target, the client's address, and the handle on the
   * server's request timeout (without it, withRequestTimeoutResponse logs a warning per request).
   */
  private static HttpRequest asTheServerPassesIt(HttpRequest request) {
    return request
        .addHeader(RawRequestURI.create(request.getUri().toRelative().toString()))
        .addHeader(akka.http.javadsl.model.headers.TimeoutAccess.create(new FixedTimeout()))
        .addAttribute(AttributeKeys.remoteAddress,
            RemoteAddress.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000)));
  }

  private HttpResponse handle(HttpRequest request) throws Exception {
    return handler.apply(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers every call at once, as if the group's leader were infinitely fast. */
  private static final class ImmediateKvApi implements KvApi {
    private final KeyValue stored;
    private final CompletionStage<WriteOutcome> written;
    private final CompletionStage<ReadOutcome> found;

    ImmediateKvApi() {
      byte[] value = new byte[VALUE_BYTES];
      Arrays.fill(value, (byte) 'v');
      stored = new KeyValue(KEY, value, 7, 42, 3);
      written = CompletableFuture.completedFuture(
          new WriteOutcome(new KvResult.Written(43, Optional.empty()), "g1", 43));
      found = CompletableFuture.completedFuture(new ReadOutcome(new KvResult.Found(stored, 42), "g1", "n1", 42, true,
          ReadConsistency.LINEARIZABLE));
    }

    @Override
    public CompletionStage<WriteOutcome> write(KvCommand command, Duration timeout) {
      return written;
    }

    @Override
    public CompletionStage<ReadOutcome> read(KvQuery query, ReadConsistency consistency, Duration timeout) {
      return found;
    }

    @Override
    public CompletionStage<ReadOutcome> readOrDegrade(
        KvQuery query, ReadConsistency consistency, Duration timeout) {
      return found;
    }

    @Override
    public KeyPlacement explain(String key) {
      throw new UnsupportedOperationException("not measured");
    }
  }

  /** A request timeout that never fires; the server's own is a scheduled task, outside what this measures. */
  private static final class FixedTimeout implements TimeoutAccess {
    @Override
    public scala.concurrent.duration.Duration timeout() {
      return scala.concurrent.duration.Duration.create(20, TimeUnit.SECONDS);
    }

    @Override
    public void updateTimeout(scala.concurrent.duration.Duration timeout) {}

    @Override
    public void updateHandler(scala.Function1<akka.http.scaladsl.model.HttpRequest,
        akka.http.scaladsl.model.HttpResponse> handler) {}

    @Override
    public void update(scala.concurrent.duration.Duration timeout, scala.Function1<akka.http.scaladsl.model.HttpRequest,
        akka.http.scaladsl.model.HttpResponse> handler) {}

    @Override
    public void updateHandler(akka.japi.Function<HttpRequest, HttpResponse> handler) {}

    @Override
    public void update(scala.concurrent.duration.Duration timeout,
        akka.japi.Function<HttpRequest, HttpResponse> handler) {}
  }

  /** The cluster side, which the KV requests never reach. */
  private static final class IdleClusterApi implements ClusterApi {
    @Override
    public String nodeName() {
      return "n1";
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public String notReadyReason() {
      return "";
    }

    @Override
    public CompletionStage<ClusterStatus> clusterStatus(Duration timeout) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("not measured"));
    }
  }
}
