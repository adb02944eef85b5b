package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.NotUsed;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.server.Directives;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvEvent;
import io.raftring.lease.LeaseApi;
import io.raftring.lease.LeaseInfo;
import io.raftring.lease.LeaseRenewal;
import io.raftring.lock.ElectionApi;
import io.raftring.lock.LockApi;
import io.raftring.lock.Ownership;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchEndedException;
import io.raftring.watch.WatchEvent;
import io.raftring.watch.WatchPosition;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watch, lease and lock endpoints over fake APIs: what a stream looks like line by line, how it ends, and every
 * malformed request refused with 400 before an API is asked.
 */
class CoordinationRoutesTest {

  private static final WatchPosition AT_7 = WatchPosition.of(Map.of("g0", WatchPosition.At.of(7)));
  private static final WatchPosition AT_8 = WatchPosition.of(Map.of("g0", WatchPosition.At.of(8)));
  private static final long LEASE = 0x2a;

  private static ActorTestKit kit;
  private static BoundRoute server;

  /**
   * Key "ok": created, one put, progress, then ended by the server; key "old": COMPACTED before it starts; key
   * "open": created, then nothing until cancelled; key "late": the same, created after a second; key "resumes": from
   * now, created and nothing more, from a position, created there, one put, then ended by the server.
   */
  private static final WatchApi WATCH = (filter, from) -> {
    if (filter.text().equals("late")) {
      return Source.<WatchEvent>single(new WatchEvent.Created(AT_7)).initialDelay(Duration.ofSeconds(1))
          .concat(Source.never());
    }
    if (filter.text().equals("resumes")) {
      // From now it only says where it starts; resumed from there it has one change, then the server ends it.
      if (from == null) {
        return Source.<WatchEvent>single(new WatchEvent.Created(AT_7)).concat(Source.never());
      }
      KvEvent put = KvEvent.put(new KeyValue("resumes", "v".getBytes(StandardCharsets.UTF_8), 8, 8, 1), LEASE);
      // Ended where a third element would come (a failed source concatenated would fail ahead of the others).
      return Source.<WatchEvent>from(List.of(new WatchEvent.Created(from), new WatchEvent.Changed(put, "g0", AT_8),
              new WatchEvent.Progress(AT_8)))
          .map(event -> {
            if (event instanceof WatchEvent.Progress) {
              throw new WatchEndedException(ErrorCode.OVERLOADED, "read too slowly", AT_8);
            }
            return event;
          });
    }
    if (filter.text().equals("open")) {
      return Source.<WatchEvent>single(new WatchEvent.Created(AT_7)).concat(Source.never());
    }
    if (filter.text().equals("old")) {
      return Source.failed(new WatchEndedException(ErrorCode.COMPACTED, "too old", null));
    }
    KvEvent put = KvEvent.put(new KeyValue("ok", "v".getBytes(StandardCharsets.UTF_8), 8, 8, 1), LEASE);
    // The server ends it after the third event (a fourth element turns into that end).
    return Source.<WatchEvent>from(List.of(new WatchEvent.Created(AT_7), new WatchEvent.Changed(put, "g0", AT_8),
            new WatchEvent.Progress(AT_8), new WatchEvent.Progress(AT_7)))
        .map(event -> {
          if (event.position() == AT_7 && event instanceof WatchEvent.Progress) {
            throw new WatchEndedException(ErrorCode.OVERLOADED, "read too slowly", AT_8);
          }
          return event;
        });
  };

  private static final LeaseApi LEASES = new LeaseApi() {
    @Override
    public CompletionStage<LeaseInfo> grant(Duration ttl, Duration timeout) {
      return CompletableFuture.completedFuture(new LeaseInfo(LEASE, ttl.toMillis(), ttl.toMillis()));
    }

    @Override
    public CompletionStage<LeaseInfo> keepAlive(long id, Duration timeout) {
      return id == LEASE ? CompletableFuture.completedFuture(new LeaseInfo(id, 10_000, 10_000))
          : CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NOT_FOUND, "lease not found"));
    }

    @Override
    public CompletionStage<List<LeaseRenewal>> keepAlive(List<Long> ids, Duration timeout) {
      return CompletableFuture.completedFuture(ids.stream().map(id -> id == LEASE ? LeaseRenewal.renewed(id, 10_000)
          : LeaseRenewal.failed(id, ErrorCode.NOT_FOUND, "lease not found")).toList());
    }

    @Override
    public CompletionStage<LeaseInfo> revoke(long id, Duration timeout) {
      return CompletableFuture.completedFuture(new LeaseInfo(id, 0, 0));
    }

    @Override
    public CompletionStage<LeaseInfo> timeToLive(long id, Duration timeout) {
      return CompletableFuture.completedFuture(new LeaseInfo(id, 10_000, 4_000));
    }

    @Override
    public CompletionStage<List<LeaseInfo>> list(Duration timeout) {
      return CompletableFuture.completedFuture(List.of(new LeaseInfo(LEASE, 10_000, -1)));
    }
  };

  /** Lock "job" is held by LEASE with token 12; nobody holds anything else. */
  private static final class Locks implements LockApi, ElectionApi {
    private static final Ownership JOB = new Ownership("job", "_locks/{job}/000000000000002a", LEASE, 12, new byte[0]);

    @Override
    public CompletionStage<Ownership> lock(String name, long lease, Duration timeout) {
      return CompletableFuture.completedFuture(JOB);
    }

    @Override
    public CompletionStage<Boolean> unlock(String name, long lease, Duration timeout) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Optional<Ownership>> holder(String name, Duration timeout) {
      return CompletableFuture.completedFuture(name.equals("job") ? Optional.of(JOB) : Optional.empty());
    }

    @Override
    public CompletionStage<Ownership> campaign(String name, long lease, byte[] value, Duration timeout) {
      return CompletableFuture.completedFuture(new Ownership(name, "k", lease, 3, value));
    }

    @Override
    public CompletionStage<Ownership> proclaim(String name, long lease, byte[] value, Duration timeout) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.CONFLICT, "not the leader"));
    }

    @Override
    public CompletionStage<Boolean> resign(String name, long lease, Duration timeout) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletionStage<Optional<Ownership>> leader(String name, Duration timeout) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public Source<Optional<Ownership>, NotUsed> observe(String name) {
      return Source.single(Optional.empty());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    HttpSettings settings = TestServer.SETTINGS;
    HttpErrors errors = new HttpErrors(settings.retryAfter());
    Locks locks = new Locks();
    RequestBodies bodies = new RequestBodies(settings, errors);
    server = BoundRoute.bind(kit, Directives.handleExceptions(errors.exceptionHandler(), () -> Directives.concat(
        new WatchRoutes(WATCH, settings, bodies).route(), new LeaseRoutes(LEASES, settings, bodies).route(),
        new LockRoutes(locks, locks, settings, bodies).route())));
  }

  @AfterAll
  static void stop() {
    server.close();
    kit.shutdownTestKit();
  }

  @Test
  void aWatchStreamsOneJsonObjectPerLineAndEndsWithWhyAndWhereItStood() throws Exception {
    HttpResponse<String> response = server.send("GET", "/v1/watch?key=ok");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = response.body().lines().map(CoordinationRoutesTest::parse).toList();
    assertThat(lines).extracting(l -> l.get("type").asText())
        .containsExactly("created", "put", "progress", "closed");
    JsonNode put = lines.get(1);
    assertThat(put.get("key").asText()).isEqualTo("ok");
    assertThat(put.get("value").asText()).isEqualTo("dg==");
    assertThat(put.get("mod_revision").asLong()).isEqualTo(8);
    assertThat(put.get("lease").asText()).isEqualTo("000000000000002a");
    assertThat(WatchPosition.parse(put.get("position").asText())).isEqualTo(AT_8);
    assertThat(lines.get(3).get("error").asText()).isEqualTo("OVERLOADED");
    assertThat(WatchPosition.parse(lines.get(3).get("position").asText())).isEqualTo(AT_8);
  }

  @Test
  void aGetStreamsItsWatchResumedFromTheCreatedLinesPosition() throws Exception {
    HttpResponse<String> response = server.send("GET", "/v1/watch?key=resumes");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> lines = response.body().lines().map(CoordinationRoutesTest::parse).toList();
    assertThat(lines).extracting(l -> l.get("type").asText()).containsExactly("created", "put", "closed");
    assertThat(WatchPosition.parse(lines.get(0).get("position").asText())).isEqualTo(AT_7);
    assertThat(lines.get(1).get("key").asText()).isEqualTo("resumes");
    assertThat(WatchPosition.parse(lines.get(2).get("position").asText())).isEqualTo(AT_8);
  }

  @Test
  void aWatchThatCannotStartAnswersWithItsErrorNotAStream() throws Exception {
    HttpResponse<String> response = server.send("GET", "/v1/watch?key=old");

    assertThat(response.statusCode()).isEqualTo(410);
    assertThat(BoundRoute.json(response).get("error").asText()).isEqualTo("COMPACTED");
  }

  @Test
  void malformedWatchRequestsAreRefused() throws Exception {
    for (String bad : List.of("/v1/watch", "/v1/watch?key=a&prefix=b", "/v1/watch?key=", "/v1/watch?key=a&pos=1",
        "/v1/watch?key=a&position=garbage")) {
      HttpResponse<String> response = server.send("GET", bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(BoundRoute.json(response).get("error").asText()).as(bad).isEqualTo("BAD_REQUEST");
    }
  }

  @Test
  void manyWatchesShareOneStreamEachLineTaggedAndOneEndingAloneWhileTheOthersRunOn() throws Exception {
    HttpResponse<String> response = server.send("POST", "/v1/watch",
        "{\"watches\":[{\"key\":\"ok\"},{\"key\":\"old\",\"position\":\"" + AT_7.token() + "\"},"
            + "{\"prefix\":\"o\"}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    // The stream ended on its own: every watch closed. Each watch's lines are its own stream's, in order.
    Map<Integer, List<JsonNode>> byWatch = new java.util.TreeMap<>();
    for (String text : response.body().lines().toList()) {
      JsonNode line = parse(text);
      assertThat(line.fieldNames().next()).as("the watch's index comes first").isEqualTo("watch");
      byWatch.computeIfAbsent(line.get("watch").asInt(), w -> new ArrayList<>()).add(line);
    }
    assertThat(byWatch.keySet()).containsExactly(0, 1, 2);
    for (int watch : List.of(0, 2)) {
      List<JsonNode> lines = byWatch.get(watch);
      assertThat(lines).extracting(l -> l.get("type").asText())
          .containsExactly("created", "put", "progress", "closed");
      assertThat(lines.get(1).get("key").asText()).isEqualTo("ok");
      assertThat(lines.get(1).get("value").asText()).isEqualTo("dg==");
      assertThat(WatchPosition.parse(lines.get(1).get("position").asText())).isEqualTo(AT_8);
      assertThat(lines.get(3).get("error").asText()).isEqualTo("OVERLOADED");
      assertThat(WatchPosition.parse(lines.get(3).get("position").asText())).isEqualTo(AT_8);
    }
    JsonNode compacted = byWatch.get(1).get(0);
    assertThat(byWatch.get(1)).hasSize(1);
    assertThat(compacted.get("type").asText()).isEqualTo("closed");
    assertThat(compacted.get("error").asText()).isEqualTo("COMPACTED");
    assertThat(compacted.has("position")).isFalse();
  }

  @Test
  void malformedMultiWatchBodiesAreRefusedWithTheirProblemNamedBeforeAnythingStarts() throws Exception {
    String tooMany = "{\"watches\":[" + String.join(",", java.util.Collections.nCopies(
        WatchApi.MAX_WATCHES_PER_STREAM + 1, "{\"key\":\"ok\"}")) + "]}";
    for (String bad : List.of("", "[]", "{}", "{\"watches\":[]}", "{\"watches\":{\"key\":\"ok\"}}",
        "{\"watches\":[\"ok\"]}", "{\"watches\":[{}]}", "{\"watches\":[{\"key\":\"a\",\"prefix\":\"b\"}]}",
        "{\"watches\":[{\"key\":\"\"}]}", "{\"watches\":[{\"key\":1}]}",
        "{\"watches\":[{\"key\":\"ok\",\"pos\":\"x\"}]}",
        "{\"watches\":[{\"key\":\"ok\"},{\"key\":\"ok\",\"position\":\"garbage\"}]}",
        "{\"watches\":[{\"key\":\"ok\"}],\"timeout\":\"1s\"}", tooMany)) {
      HttpResponse<String> response = server.send("POST", "/v1/watch", bad);
      String what = bad.length() > 80 ? "1,001 watches" : bad;
      assertThat(response.statusCode()).as(what).isEqualTo(400);
      assertThat(BoundRoute.json(response).get("error").asText()).as(what).isEqualTo("BAD_REQUEST");
      assertThat(BoundRoute.json(response).get("message").asText()).as(what).isNotBlank();
    }
    HttpResponse<String> withQuery = server.send("POST", "/v1/watch?key=ok", "{\"watches\":[{\"key\":\"ok\"}]}");
    assertThat(withQuery.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(withQuery).get("message").asText()).contains("key");
    HttpResponse<String> badPosition = server.send("POST", "/v1/watch",
        "{\"watches\":[{\"key\":\"ok\"},{\"key\":\"ok\",\"position\":\"garbage\"}]}");
    assertThat(BoundRoute.json(badPosition).get("message").asText()).startsWith("watches[1].position");
  }

  @Test
  void watchesAreCreatedAndCancelledOnAnOpenWebSocketEachLineTaggedWithItsId() throws Exception {
    try (WebSocketLines socket = server.webSocket("/v1/watch/ws")) {
      socket.send("{\"create\":{\"key\":\"open\"}}");
      JsonNode created = socket.next();
      assertThat(created.get("watch").asInt()).as("the first free id").isZero();
      assertThat(created.get("type").asText()).isEqualTo("created");
      assertThat(WatchPosition.parse(created.get("position").asText())).isEqualTo(AT_7);

      socket.send("{\"create\":{\"id\":5,\"prefix\":\"o\",\"position\":\"" + AT_7.token() + "\"}}");
      List<JsonNode> five = List.of(socket.next(), socket.next(), socket.next(), socket.next());
      assertThat(five).allSatisfy(line -> assertThat(line.get("watch").asInt()).isEqualTo(5));
      assertThat(five).extracting(l -> l.get("type").asText()).containsExactly("created", "put", "progress", "closed");
      assertThat(five.get(1).get("value").asText()).isEqualTo("dg==");
      assertThat(five.get(3).get("error").asText()).isEqualTo("OVERLOADED");

      socket.send("{\"cancel\":0}");
      JsonNode canceled = socket.next();
      assertThat(canceled.get("watch").asInt()).isZero();
      assertThat(canceled.get("type").asText()).isEqualTo("canceled");
      socket.send("{\"cancel\":0}");
      JsonNode again = socket.next();
      assertThat(again.has("watch")).as("an error names no watch: " + again).isFalse();
      assertThat(again.get("type").asText()).isEqualTo("error");
      assertThat(again.get("message").asText()).contains("no watch 0");
    }
  }

  @Test
  void malformedWebSocketMessagesAreAnsweredWithTheirProblemAndTheSocketStaysUsable() throws Exception {
    try (WebSocketLines socket = server.webSocket("/v1/watch/ws")) {
      for (String bad : List.of("not json", "[]", "{}", "{\"create\":{}}", "{\"create\":\"ok\"}",
          "{\"create\":{\"key\":\"a\",\"prefix\":\"b\"}}", "{\"create\":{\"key\":\"\"}}",
          "{\"create\":{\"key\":1}}", "{\"create\":{\"key\":\"ok\",\"pos\":\"x\"}}",
          "{\"create\":{\"key\":\"ok\",\"position\":\"garbage\"}}",
          "{\"create\":{\"key\":\"ok\",\"id\":-1}}", "{\"create\":{\"key\":\"ok\",\"id\":\"3\"}}",
          "{\"create\":{\"key\":\"ok\",\"id\":1.5}}", "{\"cancel\":\"x\"}", "{\"cancel\":99}",
          "{\"cancel\":1,\"create\":{\"key\":\"ok\"}}", "{\"watches\":[{\"key\":\"ok\"}]}",
          "{\"create\":{\"key\":\"ok\"}} trailing")) {
        socket.send(bad);
        JsonNode error = socket.next();
        assertThat(error.get("type").asText()).as(bad).isEqualTo("error");
        assertThat(error.get("error").asText()).as(bad).isEqualTo("BAD_REQUEST");
        assertThat(error.get("message").asText()).as(bad).isNotBlank();
      }
      socket.send("{\"create\":{\"key\":\"ok\",\"position\":\"garbage\"}}");
      assertThat(socket.next().get("message").asText()).startsWith("create.position");
      socket.send("x".repeat(WatchSocket.MAX_MESSAGE_CHARS + 1));
      assertThat(socket.next().get("message").asText()).contains("at most " + WatchSocket.MAX_MESSAGE_CHARS);
      socket.sendBinary(new byte[] {1, 2, 3});
      assertThat(socket.next().get("message").asText()).contains("binary");

      socket.send("{\"create\":{\"key\":\"open\"}}");
      JsonNode created = socket.next();
      assertThat(created.get("type").asText()).isEqualTo("created");
      assertThat(created.get("watch").asInt()).as("nothing before was opened").isZero();
    }
  }

  @Test
  void aWebSocketRefusesAnIdInUseAndCarriesAtMostItsLimitOfWatches() throws Exception {
    try (WebSocketLines socket = server.webSocket("/v1/watch/ws")) {
      socket.send("{\"create\":{\"id\":3,\"key\":\"open\"}}");
      assertThat(socket.next().get("type").asText()).isEqualTo("created");
      socket.send("{\"create\":{\"id\":3,\"key\":\"open\"}}");
      JsonNode duplicate = socket.next();
      assertThat(duplicate.get("type").asText()).isEqualTo("error");
      assertThat(duplicate.get("message").asText()).contains("watch 3 is open");

      for (int i = 1; i < WatchApi.MAX_WATCHES_PER_STREAM; i++) {
        socket.send("{\"create\":{\"key\":\"open\"}}");
        assertThat(socket.next().get("type").asText()).isEqualTo("created");
      }
      socket.send("{\"create\":{\"id\":5000,\"key\":\"open\"}}");
      JsonNode full = socket.next();
      assertThat(full.get("watch").asInt()).isEqualTo(5000);
      assertThat(full.get("type").asText()).isEqualTo("closed");
      assertThat(full.get("error").asText()).isEqualTo("OVERLOADED");

      socket.send("{\"cancel\":3}");
      assertThat(socket.next().get("type").asText()).isEqualTo("canceled");
      socket.send("{\"create\":{\"id\":5000,\"key\":\"open\"}}");
      assertThat(socket.next().get("type").asText()).as("room for one again").isEqualTo("created");
    }
  }

  @Test
  void aWebSocketMessageInSeveralFramesIsReadWholeAndOneOverTheLimitIsRefused() throws Exception {
    try (WebSocketLines socket = server.webSocket("/v1/watch/ws")) {
      socket.sendInParts("{\"create\":", "{\"id\":2,", "\"key\":\"open\"}}");
      JsonNode created = socket.next();
      assertThat(created.get("watch").asInt()).isEqualTo(2);
      assertThat(created.get("type").asText()).isEqualTo("created");

      String half = " ".repeat(WatchSocket.MAX_MESSAGE_CHARS / 2 + 1);
      socket.sendInParts("{\"cancel\":2}", half, half);
      assertThat(socket.next().get("message").asText()).contains("at most " + WatchSocket.MAX_MESSAGE_CHARS);
      socket.send("{\"cancel\":2}");
      assertThat(socket.next().get("type").asText()).as("the long message changed nothing").isEqualTo("canceled");
    }
  }

  @Test
  void aWebSocketOutlivesTheServersRequestHeadDeadlineBehindItsSecurityAndMetrics() throws Exception {
    HttpSettings settings = TestServer.SETTINGS.withReads(
        TestServer.SETTINGS.reads().withRequestHeadTimeout(Duration.ofMillis(200)));
    HttpErrors errors = new HttpErrors(settings.retryAfter());
    io.raftring.metrics.MetricsRegistry metrics = new io.raftring.metrics.MetricsRegistry();
    akka.http.javadsl.server.Route route = new HttpMetrics(metrics).instrument(
        new SecurityGuard(new BrowserPolicy(List.of(), true), null, errors, "http", metrics)
            .guard(new WatchRoutes(WATCH, settings, new RequestBodies(settings, errors)).route()));
    akka.http.javadsl.ServerBinding binding = akka.http.javadsl.Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .withSettings(HttpServer.serverSettings(kit.system().settings().config(), settings))
        .bindFlow(HttpServer.connectionFlow(kit.system(), route, settings))
        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    try (WebSocketLines socket = WebSocketLines.open(java.net.URI.create(
        "ws://127.0.0.1:" + binding.localAddress().getPort() + "/v1/watch/ws"))) {
      // Created a second after the create: five head deadlines after the upgrade.
      socket.send("{\"create\":{\"key\":\"late\"}}");
      assertThat(socket.next().get("type").asText()).isEqualTo("created");
      socket.send("{\"create\":{\"key\":\"open\"}}");
      assertThat(socket.next().get("watch").asInt()).isEqualTo(1);
    } finally {
      binding.unbind();
    }
  }

  @Test
  void theWebSocketEndpointRefusesAPlainGet() throws Exception {
    HttpResponse<String> response = server.send("GET", "/v1/watch/ws");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(BoundRoute.json(response).get("error").asText()).isEqualTo("BAD_REQUEST");
    assertThat(BoundRoute.json(response).get("message").asText()).contains("WebSocket");
  }

  @Test
  void leasesAreGrantedKeptAliveAndShownWithHexIds() throws Exception {
    JsonNode granted = BoundRoute.json(server.send("POST", "/v1/leases?ttl=10s"));
    assertThat(granted.get("id").asText()).isEqualTo("000000000000002a");
    assertThat(granted.get("ttl_ms").asLong()).isEqualTo(10_000);
    assertThat(BoundRoute.json(server.send("POST", "/v1/leases?ttl=90")).get("ttl_ms").asLong()).isEqualTo(90_000);
    assertThat(BoundRoute.json(server.send("POST", "/v1/leases/2a/keepalive")).get("ttl_ms").asLong())
        .isEqualTo(10_000);
    assertThat(server.send("POST", "/v1/leases/2b/keepalive").statusCode()).isEqualTo(404);
    assertThat(BoundRoute.json(server.send("GET", "/v1/leases/2a")).get("ttl_ms").asLong()).isEqualTo(4_000);
    assertThat(BoundRoute.json(server.send("GET", "/v1/leases")).get("leases")).hasSize(1);
  }

  @Test
  void manyLeasesAreKeptAliveInOneRequestEachAnsweredInTheOrderAsked() throws Exception {
    HttpResponse<String> response = server.send("POST", "/v1/leases/keepalive",
        "{\"ids\":[\"2b\",\"000000000000002a\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode leases = BoundRoute.json(response).get("leases");
    assertThat(leases).hasSize(2);
    assertThat(leases.get(0).get("id").asText()).isEqualTo("000000000000002b");
    assertThat(leases.get(0).get("error").asText()).isEqualTo("NOT_FOUND");
    assertThat(leases.get(0).has("ttl_ms")).isFalse();
    assertThat(leases.get(1).get("id").asText()).isEqualTo("000000000000002a");
    assertThat(leases.get(1).get("ttl_ms").asLong()).isEqualTo(10_000);
    assertThat(leases.get(1).has("error")).isFalse();
  }

  @Test
  void malformedKeepAliveBodiesAreRefusedWithTheirProblemNamed() throws Exception {
    String tooMany = "{\"ids\":[" + String.join(",", java.util.Collections.nCopies(10_001, "\"2a\"")) + "]}";
    for (String bad : List.of("", "[]", "{}", "{\"ids\":[]}", "{\"ids\":\"2a\"}", "{\"ids\":[42]}",
        "{\"ids\":[\"xyz\"]}", "{\"ids\":[\"2a\"],\"ttl\":1}", "{\"ids\":[\"0\"]}", tooMany)) {
      HttpResponse<String> response = server.send("POST", "/v1/leases/keepalive", bad);
      assertThat(response.statusCode()).as(bad.length() > 80 ? "10,001 ids" : bad).isEqualTo(400);
      assertThat(BoundRoute.json(response).get("error").asText()).isEqualTo("BAD_REQUEST");
      assertThat(BoundRoute.json(response).get("message").asText()).isNotBlank();
    }
    assertThat(server.send("POST", "/v1/leases/keepalive?ttl=1s", "{\"ids\":[\"2a\"]}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void malformedLeaseRequestsAreRefused() throws Exception {
    for (String bad : List.of("/v1/leases", "/v1/leases?ttl=0s", "/v1/leases?ttl=soon", "/v1/leases?ttl=1s&x=1",
        "/v1/leases/not-hex/keepalive", "/v1/leases/0/keepalive", "/v1/leases/12345678901234567/keepalive")) {
      HttpResponse<String> response = server.send("POST", bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
    }
  }

  @Test
  void aLockAnswersWithItsFencingTokenAndNobodyHoldingIsNotFound() throws Exception {
    JsonNode owner = BoundRoute.json(server.send("POST", "/v1/locks/job?lease=2a"));
    assertThat(owner.get("fencing_token").asLong()).isEqualTo(12);
    assertThat(owner.get("lease").asText()).isEqualTo("000000000000002a");
    assertThat(BoundRoute.json(server.send("GET", "/v1/locks/job")).get("key").asText())
        .isEqualTo("_locks/{job}/000000000000002a");
    assertThat(server.send("GET", "/v1/locks/other").statusCode()).isEqualTo(404);
    assertThat(server.send("POST", "/v1/locks/job").statusCode()).isEqualTo(400);
    assertThat(server.send("POST", "/v1/locks/job?lease=xyz").statusCode()).isEqualTo(400);
    assertThat(server.send("PUT", "/v1/elections/primary?lease=2a").statusCode()).isEqualTo(409);
    assertThat(server.send("GET", "/v1/elections/primary").statusCode()).isEqualTo(404);
  }

  private static JsonNode parse(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
