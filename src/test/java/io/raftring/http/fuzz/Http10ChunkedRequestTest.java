package io.raftring.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import io.raftring.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one malformed request known to get a 500: an HTTP/1.0 request that declares a chunked body. RFC 9112 section
 * 6.1 says to treat its framing as faulty and close the connection; akka-http 10.2's request preparation (which runs
 * before any route, so RaftRing cannot answer it) fails a requirement instead and answers 500 with no body, closing
 * the connection. This test pins what that costs: nothing stored, the node serves on. If akka-http ever answers it
 * with a 4xx, the first assertion fails and the fuzzer's exclusion in {@link RequestFuzzer} can go.
 */
class Http10ChunkedRequestTest {

  @Test
  void anHttp10ChunkedRequestGetsAkkaHttpsBare500AndChangesNothing() throws Exception {
    ActorTestKit kit = ActorTestKit.create("probes", ConfigFactory.parseString("akka.actor.provider = local"));
    try (LocalCluster cluster = LocalCluster.start(List.of("n1"), 1,
        ConfigFactory.parseString("raftring.cluster.replication-factor = 1"))) {
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
        assertThat(cluster.node("n1").raftRing().notReadyReason()).isEmpty();
        return null;
      });
      RawHttp http = new RawHttp(cluster.httpPort("n1"), 15_000);

      RawHttp.Answer answer = http.send(bytes("PUT /v1/kv/k HTTP/1.0\r\nHost: localhost\r\n"
          + "Transfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n1\r\nv\r\n0\r\n\r\n"), false);

      assertThat(answer.problem()).isNull();
      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.header("Connection")).isEqualTo("close");
      RawHttp.Answer read = http.send(bytes("GET /v1/kv/k HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
          false);
      assertThat(read.status()).as("the key was not written: %s", read.bodyText()).isEqualTo(404);
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static byte[] bytes(String request) {
    return request.getBytes(StandardCharsets.ISO_8859_1);
  }
}
