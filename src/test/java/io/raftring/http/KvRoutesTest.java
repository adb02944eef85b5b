package io.raftring.http;

import static io.raftring.http.TestServer.assertError;
import static io.raftring.http.TestServer.json;
import static io.raftring.http.TestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import io.raftring.kv.KvQuery;
import io.raftring.raft.ReadConsistency;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KvRoutesTest {

  private static TestServer server;
  private static FakeKvApi kv;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
    kv = server.kv;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void emptyStore() {
    kv.reset();
  }

  private static void seed(String key, String value) throws Exception {
    assertThat(server.put("/v1/kv/" + key, value).statusCode()).isEqualTo(200);
  }

  /** Runs a request that must be refused, and checks the store was neither called nor changed. */
  private static JsonNode refused(int status, String code, String method, String pathAndQuery, byte[] body)
      throws Exception {
    seed("existing", "v");
    Map<String, KeyValue> before = kv.snapshot();
    kv.calls.clear();
    JsonNode error = assertError(server.send(method, pathAndQuery, body), status, code);
    assertThat(kv.calls).as("the API must not be called").isEmpty();
    assertThat(kv.snapshot()).isEqualTo(before);
    return error;
  }

  @Nested
  class Writing {

    @Test
    void putStoresTheBodyBytesAndAnswersWithTheRevision() throws Exception {
      HttpResponse<byte[]> first = server.put("/v1/kv/greeting", "hello");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(json(first).get("revision").asLong()).isEqualTo(1);
      assertThat(json(first).get("prev_kv").isNull()).isTrue();
      assertThat(first.headers().firstValue("X-RaftRing-Revision")).hasValue("1");
      assertThat(first.headers().firstValue("X-RaftRing-Mod-Revision")).hasValue("1");

      HttpResponse<byte[]> second = server.put("/v1/kv/greeting", "bonjour");
      JsonNode body = json(second);
      assertThat(body.get("revision").asLong()).isEqualTo(2);
      assertThat(body.get("prev_kv").get("key").asText()).isEqualTo("greeting");
      assertThat(Base64.getDecoder().decode(body.get("prev_kv").get("value").asText())).isEqualTo("hello".getBytes());
      assertThat(body.get("prev_kv").get("mod_revision").asLong()).isEqualTo(1);

      assertThat(kv.calls.get(1).request()).isEqualTo(new KvCommand.Put("greeting", "bonjour".getBytes()));
      assertThat(kv.calls.get(1).timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void explainSaysWhichGroupAndReplicasHoldAKeyWithoutReadingIt() throws Exception {
      HttpResponse<byte[]> explained = server.get("/v1/kv/user%2F42?explain=true");
      assertThat(explained.statusCode()).isEqualTo(200);
      JsonNode body = json(explained);
      assertThat(body.get("key").asText()).isEqualTo("user/42");
      assertThat(body.get("group").asText()).isEqualTo("g1");
      assertThat(body.get("replicas")).hasSize(3);
      assertThat(body.get("leader").asText()).isEqualTo("node-a");
      assertThat(body.get("hash_tag").isNull()).isTrue();
      assertThat(kv.calls).extracting(FakeKvApi.Call::method).containsExactly("explain");
      assertThat(server.get("/v1/kv/k?explain=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void explainShowsTheHashTagThatPlacedAKey() throws Exception {
      JsonNode body = json(server.get("/v1/kv/%7Buser42%7D%2Fcart?explain=true"));
      assertThat(body.get("key").asText()).isEqualTo("{user42}/cart");
      assertThat(body.get("hash_tag").asText()).isEqualTo("user42");
    }

    @Test
    void binaryValuesAndKeysWithSlashesAndEscapesRoundTrip() throws Exception {
      byte[] value = {0, (byte) 0xff, 10, 13, 127};
      assertThat(server.send("PUT", "/v1/kv/a%2Fb/c", value).statusCode()).isEqualTo(200);
      assertThat(server.send("PUT", "/v1/kv/caf%C3%A9%20x", "e".getBytes()).statusCode()).isEqualTo(200);
      assertThat(kv.snapshot()).containsKeys("a/b/c", "café x");

      HttpResponse<byte[]> raw = server.get("/v1/kv/a/b/c");
      assertThat(raw.statusCode()).isEqualTo(200);
      assertThat(raw.body()).isEqualTo(value);
      assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void putWithPrevRevisionIsACompareAndSet() throws Exception {
      seed("k", "v1");
      HttpResponse<byte[]> ok = server.put("/v1/kv/k?prev_revision=1", "v2");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(kv.calls.get(1).request())
          .isEqualTo(new KvCommand.Put("k", "v2".getBytes(), KvCondition.modRevisionEquals(1)));

      HttpResponse<byte[]> stale = server.put("/v1/kv/k?prev_revision=1", "v3");
      JsonNode conflict = assertError(stale, 409, "CONFLICT");
      assertThat(conflict.get("current_mod_revision").asLong()).isEqualTo(2);
      assertThat(stale.headers().firstValue("X-RaftRing-Mod-Revision")).hasValue("2");
      assertThat(kv.snapshot().get("k").value()).isEqualTo("v2".getBytes());
    }

    @Test
    void prevRevisionZeroPutsOnlyIfAbsent() throws Exception {
      assertThat(server.put("/v1/kv/new?prev_revision=0", "a").statusCode()).isEqualTo(200);
      JsonNode conflict = assertError(server.put("/v1/kv/new?prev_revision=0", "b"), 409, "CONFLICT");
      assertThat(conflict.get("current_mod_revision").asLong()).isEqualTo(1);
    }

    @Test
    void putWithPrevValueComparesTheUtf8OfTheParameter() throws Exception {
      seed("k", "café");
      assertThat(server.put("/v1/kv/k?prev_value=caf%C3%A9", "tea").statusCode()).isEqualTo(200);
      assertThat(kv.calls.get(1).request())
          .isEqualTo(new KvCommand.Put("k", "tea".getBytes(), KvCondition.valueEquals("café".getBytes(StandardCharsets.UTF_8))));
      assertError(server.put("/v1/kv/k?prev_value=caf%C3%A9", "milk"), 409, "CONFLICT");
    }

    @Test
    void deleteAnswers200WithHowManyKeysItDeleted() throws Exception {
      seed("k", "v");
      HttpResponse<byte[]> deleted = server.delete("/v1/kv/k");
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(json(deleted).get("deleted").asInt()).isEqualTo(1);
      assertThat(json(deleted).get("revision").asLong()).isEqualTo(2);
      assertThat(json(deleted).get("prev_kv").get("key").asText()).isEqualTo("k");

      HttpResponse<byte[]> again = server.delete("/v1/kv/k");
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(json(again).get("deleted").asInt()).isEqualTo(0);
      assertThat(json(again).get("prev_kv").isNull()).isTrue();
    }

    @Test
    void conditionalDeleteConflictsWhenTheRevisionMoved() throws Exception {
      seed("k", "v");
      seed("k", "w");
      JsonNode conflict = assertError(server.delete("/v1/kv/k?prev_revision=1"), 409, "CONFLICT");
      assertThat(conflict.get("current_mod_revision").asLong()).isEqualTo(2);
      assertThat(kv.snapshot()).containsKey("k");
      assertThat(server.delete("/v1/kv/k?prev_value=w").statusCode()).isEqualTo(200);
      assertThat(kv.calls.get(3).request()).isEqualTo(KvCommand.deleteIfValue("k", "w".getBytes()));
      assertThat(kv.snapshot()).doesNotContainKey("k");
    }
  }

  @Nested
  class Reading {

    @Test
    void getAnswersRawBytesWithRevisionHeaders() throws Exception {
      seed("k", "v1");
      seed("k", "v2");
      HttpResponse<byte[]> res = server.get("/v1/kv/k");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(text(res)).isEqualTo("v2");
      assertThat(res.headers().firstValue("X-RaftRing-Revision")).hasValue("2");
      assertThat(res.headers().firstValue("X-RaftRing-Mod-Revision")).hasValue("2");
      assertThat(res.headers().firstValue("X-RaftRing-Create-Revision")).hasValue("1");
      assertThat(res.headers().firstValue("X-RaftRing-Version")).hasValue("2");
      assertThat(res.headers().firstValue("X-RaftRing-Node")).hasValue("node-a");
      assertThat(res.headers().firstValue("X-RaftRing-Applied-Index")).hasValue("42");
      assertThat(res.headers().firstValue("X-RaftRing-Consistency")).hasValue("linearizable");
      assertThat(res.headers().firstValue("X-RaftRing-Degraded")).isEmpty();
      assertThat(kv.calls.get(2).consistency()).isEqualTo(ReadConsistency.LINEARIZABLE);
    }

    @Test
    void getAnswersJsonWhenAskedFor() throws Exception {
      seed("k", "v1");
      JsonNode body = json(server.get("/v1/kv/k", "Accept", "application/json"));
      assertThat(body.get("key").asText()).isEqualTo("k");
      assertThat(body.get("value").asText()).isEqualTo(Base64.getEncoder().encodeToString("v1".getBytes()));
      assertThat(body.get("create_revision").asLong()).isEqualTo(1);
      assertThat(body.get("mod_revision").asLong()).isEqualTo(1);
      assertThat(body.get("version").asLong()).isEqualTo(1);
      assertThat(body.get("revision").asLong()).isEqualTo(1);
    }

    @Test
    void missingKeyIs404() throws Exception {
      HttpResponse<byte[]> res = server.get("/v1/kv/nothing");
      assertError(res, 404, "NOT_FOUND");
      assertThat(res.headers().firstValue("X-RaftRing-Revision")).hasValue("0");
    }

    @Test
    void consistencyLevelIsPassedToTheApi() throws Exception {
      seed("k", "v");
      server.get("/v1/kv/k?consistency=stale");
      server.get("/v1/kv/k?consistency=lease");
      assertThat(kv.calls.get(1).consistency()).isEqualTo(ReadConsistency.STALE);
      assertThat(kv.calls.get(2).consistency()).isEqualTo(ReadConsistency.LEASE);
    }

    @Test
    void degradedReadSaysSoInAHeader() throws Exception {
      seed("k", "v");
      kv.degradeToStale = true;
      HttpResponse<byte[]> res = server.get("/v1/kv/k?degrade=stale");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("X-RaftRing-Degraded")).hasValue("true");
      assertThat(res.headers().firstValue("X-RaftRing-Consistency")).hasValue("stale");
      assertThat(kv.calls.get(1).method()).isEqualTo("readOrDegrade");
      assertThat(kv.calls.get(1).consistency()).isEqualTo(ReadConsistency.LINEARIZABLE);

      kv.degradeToStale = false;
      HttpResponse<byte[]> strong = server.get("/v1/kv/k?degrade=stale");
      assertThat(strong.headers().firstValue("X-RaftRing-Degraded")).isEmpty();
      HttpResponse<byte[]> askedStale = server.get("/v1/kv/k?degrade=stale&consistency=stale");
      assertThat(askedStale.headers().firstValue("X-RaftRing-Degraded")).isEmpty();
    }

    @Test
    void prefixRangePagesWithTokens() throws Exception {
      for (String k : new String[] {"a1", "a2", "a3", "a4", "a5", "b1"}) {
        seed(k, "v-" + k);
      }
      JsonNode page1 = json(server.get("/v1/kv?prefix=a&limit=2"));
      assertThat(page1.get("kvs")).extracting(n -> n.get("key").asText()).containsExactly("a1", "a2");
      assertThat(page1.get("more").asBoolean()).isTrue();
      assertThat(page1.get("count").asInt()).isEqualTo(2);
      assertThat(page1.get("revision").asLong()).isEqualTo(6);
      String token = page1.get("next_page_token").asText();

      JsonNode page2 = json(server.get("/v1/kv?prefix=a&limit=2&page_token=" + token));
      assertThat(page2.get("kvs")).extracting(n -> n.get("key").asText()).containsExactly("a3", "a4");
      JsonNode page3 = json(server.get("/v1/kv?prefix=a&limit=2&page_token=" + page2.get("next_page_token").asText()));
      assertThat(page3.get("kvs")).extracting(n -> n.get("key").asText()).containsExactly("a5");
      assertThat(page3.get("more").asBoolean()).isFalse();
      assertThat(page3.get("next_page_token").isNull()).isTrue();
      assertThat(Base64.getDecoder().decode(page3.get("kvs").get(0).get("value").asText())).isEqualTo("v-a5".getBytes());
    }

    @Test
    void fromToRangeIsHalfOpenAndLimitDefaultsTo100() throws Exception {
      for (String k : new String[] {"a", "b", "c", "d"}) {
        seed(k, k);
      }
      HttpResponse<byte[]> res = server.get("/v1/kv?from=b&to=d&consistency=stale");
      assertThat(json(res).get("kvs")).extracting(n -> n.get("key").asText()).containsExactly("b", "c");
      assertThat(res.headers().firstValue("X-RaftRing-Consistency")).hasValue("stale");
      assertThat(kv.calls.get(4).request()).isEqualTo(new KvQuery.Between("b", "d", 100));
      server.get("/v1/kv?prefix=a&limit=99999");
      assertThat(((KvQuery.Range) kv.calls.get(5).request()).limit()).isEqualTo(KvQuery.Range.MAX_LIMIT);
    }
  }

  @Nested
  class RefusedBeforeTheStoreIsCalled {

    @Test
    void malformedUtf8Key() throws Exception {
      assertThat(refused(400, "BAD_REQUEST", "PUT", "/v1/kv/%FF", "v".getBytes()).get("message").asText())
          .contains("UTF-8");
      refused(400, "BAD_REQUEST", "GET", "/v1/kv/ab%C3", null);
      refused(400, "BAD_REQUEST", "DELETE", "/v1/kv/%ED%A0%80", null); // an encoded surrogate
    }

    @Test
    void emptyKey() throws Exception {
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/", "v".getBytes());
    }

    @Test
    void oversizeKey() throws Exception {
      refused(413, "TOO_LARGE", "PUT", "/v1/kv/" + "k".repeat(17), "v".getBytes());
      refused(413, "TOO_LARGE", "GET", "/v1/kv/" + "k".repeat(17), null);
      refused(413, "TOO_LARGE", "GET", "/v1/kv?prefix=" + "k".repeat(17), null);
    }

    @Test
    void oversizeValue() throws Exception {
      refused(413, "TOO_LARGE", "PUT", "/v1/kv/k", new byte[65]);
      refused(413, "TOO_LARGE", "PUT", "/v1/kv/k?prev_value=" + "x".repeat(65), "v".getBytes());
    }

    @Test
    void oversizeValueWithoutContentLengthIsCutOffAtTheLimit() throws Exception {
      seed("existing", "v");
      kv.calls.clear();
      HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.base + "/v1/kv/k"))
          .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1000])))
          .build();
      assertError(server.send(chunked), 413, "TOO_LARGE");
      assertThat(kv.calls).isEmpty();
    }

    @Test
    void hugeBodyIsRefusedBeforeItIsSent() throws Exception {
      // Content-Length says 100 MB; only 10 bytes follow, so an answer proves the server did not wait for the rest.
      String answer = server.raw(
          "PUT /v1/kv/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\n\r\n", new byte[10]);
      assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\":\"TOO_LARGE\"");
      assertThat(kv.calls).isEmpty();
    }

    @Test
    void badPrevRevision() throws Exception {
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_revision=-1", "v".getBytes());
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_revision=abc", "v".getBytes());
      refused(400, "BAD_REQUEST", "DELETE", "/v1/kv/k?prev_revision=1.5", null);
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_revision=1&prev_revision=2", "v".getBytes());
    }

    @Test
    void bothConditions() throws Exception {
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_revision=1&prev_value=v", "v".getBytes());
      refused(400, "BAD_REQUEST", "DELETE", "/v1/kv/k?prev_revision=1&prev_value=v", null);
    }

    @Test
    void malformedUtf8PrevValue() throws Exception {
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_value=%FF", "v".getBytes());
    }

    @Test
    void unknownConsistencyLevelOrDegradeMode() throws Exception {
      assertThat(refused(400, "BAD_REQUEST", "GET", "/v1/kv/k?consistency=eventual", null).get("message").asText())
          .contains("eventual");
      refused(400, "BAD_REQUEST", "GET", "/v1/kv?consistency=strong", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv/k?degrade=lease", null);
    }

    @Test
    void unknownQueryParameterSoATypoNeverMakesAnUnconditionalWrite() throws Exception {
      refused(400, "BAD_REQUEST", "PUT", "/v1/kv/k?prev_revison=3", "v".getBytes());
    }

    @Test
    void badTimeouts() throws Exception {
      refused(400, "BAD_REQUEST", "GET", "/v1/kv/k?timeout=soon", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv/k?timeout=0ms", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv/k?timeout=16s", null);
    }

    @Test
    void badRanges() throws Exception {
      refused(400, "BAD_REQUEST", "GET", "/v1/kv?prefix=a&from=b", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv?prefix=a&limit=0", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv?prefix=a&limit=ten", null);
      refused(400, "BAD_REQUEST", "GET", "/v1/kv?prefix=a&page_token=garbage", null);
    }

    @Test
    void unknownPathIsAJson404() throws Exception {
      refused(404, "NOT_FOUND", "GET", "/v2/kv/k", null);
      refused(404, "NOT_FOUND", "GET", "/nothing/here", null);
    }

    @Test
    void wrongMethodIsAJson405() throws Exception {
      seed("existing", "v");
      kv.calls.clear();
      HttpResponse<byte[]> res = server.send("POST", "/v1/kv/k", "v".getBytes());
      assertError(res, 405, "METHOD_NOT_ALLOWED");
      assertThat(res.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("PUT", "GET", "DELETE"));
      assertError(server.send("PUT", "/v1/kv", "v".getBytes()), 405, "METHOD_NOT_ALLOWED");
      assertThat(kv.calls).isEmpty();
    }

    @Test
    void unparseableUriIsAJson400() throws Exception {
      String answer = server.raw("GET /v1/kv/%G1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", new byte[0]);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json").contains("\"error\":\"BAD_REQUEST\"");
      assertThat(kv.calls).isEmpty();
    }
  }

  @Nested
  class ApiFailures {

    @Test
    void noQuorumIs503() throws Exception {
      kv.failure = new RaftRingException(ErrorCode.NO_QUORUM, "leader cannot reach a majority");
      JsonNode error = assertError(server.get("/v1/kv/k"), 503, "NO_QUORUM");
      assertThat(error.get("message").asText()).isEqualTo("leader cannot reach a majority");
    }

    @Test
    void timeoutIs504() throws Exception {
      kv.failure = new RaftRingException(ErrorCode.TIMEOUT, "outcome unknown");
      assertError(server.put("/v1/kv/k", "v"), 504, "TIMEOUT");
    }

    @Test
    void overloadedIs503WithRetryAfter() throws Exception {
      kv.failure = new RaftRingException(ErrorCode.OVERLOADED, "too many proposals");
      HttpResponse<byte[]> res = server.put("/v1/kv/k", "v");
      assertError(res, 503, "OVERLOADED");
      assertThat(res.headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void rateLimitedIs429WithRetryAfter() throws Exception {
      kv.failure = new RaftRingException(ErrorCode.RATE_LIMITED, "slow down");
      HttpResponse<byte[]> res = server.get("/v1/kv?prefix=a");
      assertError(res, 429, "RATE_LIMITED");
      assertThat(res.headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void notReadyIs503WithoutRetryAfter() throws Exception {
      kv.failure = new RaftRingException(ErrorCode.NOT_READY, "no leader known");
      HttpResponse<byte[]> res = server.delete("/v1/kv/k");
      assertError(res, 503, "NOT_READY");
      assertThat(res.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void theRequestsDeadlineIsPassedOnAndEnforced() throws Exception {
      kv.hang = true;
      long start = System.nanoTime();
      assertError(server.get("/v1/kv/k?timeout=100ms"), 504, "TIMEOUT");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(kv.calls.get(0).timeout()).isEqualTo(Duration.ofMillis(100));
      assertError(server.put("/v1/kv/k?timeout=1", "v"), 504, "TIMEOUT");
      assertThat(kv.calls.get(1).timeout()).isEqualTo(Duration.ofMillis(1));
    }
  }
}
