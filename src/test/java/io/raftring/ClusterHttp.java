package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Talks to the nodes of a {@link LocalCluster} over HTTP, as a user would: for cluster tests of the HTTP API. */
final class ClusterHttp {

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final LocalCluster cluster;

  ClusterHttp(LocalCluster cluster) {
    this.cluster = cluster;
  }

  URI uri(String node, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + cluster.httpPort(node) + pathAndQuery);
  }

  /** Waits until every one of {@code names} answers 200 on /health/ready. */
  void awaitReady(ActorTestKit kit, List<String> names, Duration within) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(within, Duration.ofMillis(200), () -> {
      for (String name : names) {
        assertThat(call(name, "GET", "/health/ready", null).statusCode()).as(name).isEqualTo(200);
      }
      return null;
    });
  }

  /** {@code method path} on {@code node} with {@code body} (or none), answered within 30 s or an AssertionError. */
  HttpResponse<String> call(String node, String method, String path, String body) {
    try {
      return callAsync(node, method, path, body).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " on " + node + ": " + e, e);
    }
  }

  CompletableFuture<HttpResponse<String>> callAsync(String node, String method, String path, String body) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return http.sendAsync(HttpRequest.newBuilder(uri(node, path)).timeout(Duration.ofSeconds(20))
        .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
  }
}
