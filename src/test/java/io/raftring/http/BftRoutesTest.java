package io.raftring.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftring.bft.BftRunResult;
import io.raftring.bft.BftSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BftRoutesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ActorTestKit testKit;
  private static ServerBinding binding;
  private static URI uri;
  private static final HttpClient client = HttpClient.newHttpClient();
  private static final HttpErrors ERRORS = new HttpErrors(java.time.Duration.ofSeconds(1));
  private static final RequestBodies BODIES = new RequestBodies(TestServer.SETTINGS, ERRORS);

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new BftRoutes(testKit.system(), BODIES, ERRORS).route())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/v1/bft/run");
  }

  @AfterAll
  static void unbind() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertBadRequest(String body, String messagePart) throws Exception {
    HttpResponse<String> res = post(body);
    assertThat(res.statusCode()).as(body).isEqualTo(400);
    JsonNode json = MAPPER.readTree(res.body());
    assertThat(json.get("error").asText()).isEqualTo("BAD_REQUEST");
    assertThat(json.get("message").asText()).as(body).contains(messagePart);
    assertThat(json.size()).isEqualTo(2);
  }

  @Test
  void runsTheIssuesExample() throws Exception {
    HttpResponse<String> res =
        post("{\"algorithm\":\"om\",\"n\":7,\"m\":2,\"traitors\":[2,5],\"commander_order\":\"attack\","
            + "\"strategy\":\"two-faced\",\"seed\":42,\"trace\":false}");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode json = MAPPER.readTree(res.body());
    assertThat(json.get("algorithm").asText()).isEqualTo("om");
    assertThat(json.get("ic1").asBoolean()).isTrue();
    assertThat(json.get("ic2").asBoolean()).isTrue();
    assertThat(json.get("messages").asLong()).isEqualTo(156);
    assertThat(json.get("expected_messages").asLong()).isEqualTo(156);
    assertThat(json.get("rounds").asInt()).isEqualTo(3);
    assertThat(json.get("generals")).hasSize(7);
    assertThat(json.get("generals").get(1).get("decision").asText()).isEqualTo("attack");
    assertThat(json.get("generals").get(2).get("role").asText()).isEqualTo("lieutenant");
    assertThat(json.get("generals").get(2).get("loyal").asBoolean()).isFalse();
    assertThat(json.has("trace")).isFalse();
  }

  @Test
  void signedMessagesWithATraceAndUnsafeOm() throws Exception {
    HttpResponse<String> sm =
        post("{\"algorithm\":\"sm\",\"n\":3,\"m\":1,\"traitors\":[1],\"strategy\":\"forging\",\"trace\":true}");
    assertThat(sm.statusCode()).isEqualTo(200);
    JsonNode json = MAPPER.readTree(sm.body());
    assertThat(json.get("ic1").asBoolean() && json.get("ic2").asBoolean()).isTrue();
    assertThat(json.get("trace").size()).isPositive();
    assertThat(json.get("trace").get(0).get("status").asText()).isEqualTo("accepted");

    HttpResponse<String> om = post("{\"algorithm\":\"om\",\"n\":3,\"m\":1,\"traitors\":[2],\"unsafe\":true}");
    assertThat(om.statusCode()).isEqualTo(200);
    JsonNode omJson = MAPPER.readTree(om.body());
    assertThat(omJson.get("ic2").asBoolean()).isFalse();
    assertThat(omJson.get("warnings").get(0).asText()).contains("3m+1");
  }

  @Test
  void badInputGets400SayingWhatIsWrong() throws Exception {
    assertBadRequest("{\"algorithm\":\"om\",\"n\":1,\"m\":0}", "n must be at least 2");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":4,\"m\":-1}", "m must be at least 0");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":4,\"m\":1,\"traitors\":[4]}", "traitor id 4 is out of range 0..3");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":4,\"m\":1,\"strategy\":\"sneaky\"}", "unknown strategy 'sneaky'");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":40,\"m\":6}", "limit is 250000");
    assertBadRequest("{\"algorithm\":\"sm\",\"n\":64,\"m\":3}", "the limit is 3000");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":3,\"m\":1}", "needs n >= 3m+1");
    assertBadRequest("{\"algorithm\":\"pbft\",\"n\":4,\"m\":1}", "unknown algorithm");
    assertBadRequest("{\"n\":4,\"m\":1}", "algorithm is required");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":\"four\",\"m\":1}", "n must be an integer");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":4,\"m\":1,\"commander_order\":\"charge\"}", "unknown order");
    assertBadRequest("{\"algorithm\":\"om\",\"n\":4,\"m\":1,\"colour\":\"red\"}", "unknown field 'colour'");
    assertBadRequest("{\"algorithm\":\"sm\",\"n\":40,\"m\":39}", "signature checks");
    assertBadRequest("{not json", "not valid JSON");
  }

  @Test
  void onlyPostIsServed() throws Exception {
    HttpResponse<String> res = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(405);
  }

  @Test
  void runsBeyondTheConcurrencyAndQueueBoundsAre503Overloaded() throws Exception {
    CompletableFuture<BftRunResult> running = new CompletableFuture<>();
    AtomicInteger started = new AtomicInteger();
    BftRoutes routes = new BftRoutes(request -> {
      started.incrementAndGet();
      return running;
    }, new BftSettings(1, 0, Duration.ZERO, Duration.ofSeconds(5)), BODIES, ERRORS);
    ServerBinding held = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(routes.route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI run = URI.create("http://127.0.0.1:" + held.localAddress().getPort() + "/v1/bft/run");
    try {
      HttpRequest om = HttpRequest.newBuilder(run).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"algorithm\":\"om\",\"n\":4,\"m\":1}")).build();
      CompletableFuture<HttpResponse<String>> first = client.sendAsync(om, HttpResponse.BodyHandlers.ofString());
      testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
        assertThat(started.get()).isEqualTo(1);
        return null;
      });
      HttpResponse<String> refused = client.send(om, HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(MAPPER.readTree(refused.body()).get("error").asText()).isEqualTo("OVERLOADED");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(started.get()).as("the refused run never started").isEqualTo(1);

      running.completeExceptionally(new io.raftring.bft.BftRunFailedException("run did not finish"));
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
      HttpResponse<String> after = client.send(om, HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).as("the slot was released").isEqualTo(504);
      assertThat(started.get()).isEqualTo(2);
    } finally {
      held.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
