package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketHttpTransportTest {

  private static final String ETCD_ERROR =
      "{\"error\":\"etcdserver: request timed out\",\"message\":\"etcdserver: request timed out\",\"code\":14}";

  private static SocketHttpTransport transport(CannedHttpServer server, Duration timeout) {
    return new SocketHttpTransport(List.of(URI.create(server.baseUri())), timeout);
  }

  @Test
  void keepAliveAnswersReuseOneConnectionAndCarryTheModRevision() throws Exception {
    try (CannedHttpServer server = new CannedHttpServer((line, body) ->
            CannedHttpServer.response(200, "OK", "X-RaftRing-Mod-Revision: 42\r\n", "value-of-" + body));
        SocketHttpTransport transport = transport(server, Duration.ofSeconds(5))) {
      for (int i = 0; i < 3; i++) {
        HttpTransport.Response response =
            transport.send(0, "PUT", "/v1/kv/k", "application/octet-stream", ("v" + i).getBytes()).join();
        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("value-of-v" + i);
        assertThat(response.modRevision()).isEqualTo("42");
      }
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.requestLines).containsOnly("PUT /v1/kv/k HTTP/1.1");
    }
  }

  @Test
  void chunkedBodiesWithTrailersAreReadWholeAndTheConnectionStaysUsable() throws Exception {
    String chunked = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        + "Trailer: Grpc-Trailer-Content-Type\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(ETCD_ERROR.length()) + "\r\n" + ETCD_ERROR + "\r\n0\r\n"
        + "Grpc-Trailer-Content-Type: application/grpc\r\n\r\n";
    try (CannedHttpServer server = new CannedHttpServer((line, body) -> chunked);
        SocketHttpTransport transport = transport(server, Duration.ofSeconds(5))) {
      for (int i = 0; i < 2; i++) {
        HttpTransport.Response response = transport.send(0, "POST", "/v3/kv/put", "application/json", "{}".getBytes()).join();
        assertThat(response.status()).isEqualTo(503);
        assertThat(ErrorClassifier.fromEtcd(response.status(), response.body())).isEqualTo("HTTP 503 grpc UNAVAILABLE");
      }
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void connectionCloseOpensAFreshConnectionForTheNextRequest() throws Exception {
    try (CannedHttpServer server = new CannedHttpServer((line, body) ->
            CannedHttpServer.response(404, "Not Found", "Connection: close\r\n", "{\"error\":\"NOT_FOUND\",\"message\":\"x\"}"));
        SocketHttpTransport transport = transport(server, Duration.ofSeconds(5))) {
      transport.send(0, "GET", "/v1/kv/a", null, null).join();
      HttpTransport.Response second = transport.send(0, "GET", "/v1/kv/b", null, null).join();

      assertThat(second.status()).isEqualTo(404);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void aKeptAliveConnectionTheServerClosedIsResentOnceOnAFreshOne() throws Exception {
    try (CannedHttpServer server = new CannedHttpServer((line, body) ->
            CannedHttpServer.response(200, "OK", "", "ok"), true);
        SocketHttpTransport transport = transport(server, Duration.ofSeconds(5))) {
      assertThat(transport.send(0, "GET", "/v1/kv/a", null, null).join().status()).isEqualTo(200);
      // The server closed that connection silently; the next request finds out on its first read.
      assertThat(transport.send(0, "GET", "/v1/kv/b", null, null).join().status()).isEqualTo(200);

      assertThat(transport.retries()).isEqualTo(1);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void noAnswerWithinTheTimeoutIsAClientTimeout() throws Exception {
    try (CannedHttpServer server = new CannedHttpServer((line, body) -> null);
        SocketHttpTransport transport = transport(server, Duration.ofMillis(200))) {
      Throwable failure = transport.send(0, "GET", "/v1/kv/a", null, null).handle((r, t) -> t).join();

      assertThat(ErrorClassifier.fromThrowable(failure)).isEqualTo(ErrorClassifier.CLIENT_TIMEOUT);
    }
  }

  @Test
  void aRefusedConnectionIsAConnectError() {
    try (SocketHttpTransport transport =
        new SocketHttpTransport(List.of(URI.create("http://127.0.0.1:1")), Duration.ofSeconds(2))) {
      Throwable failure = transport.send(0, "GET", "/v1/kv/a", null, null).handle((r, t) -> t).join();

      assertThat(ErrorClassifier.fromThrowable(failure)).isEqualTo(ErrorClassifier.CONNECT);
    }
  }

  @Test
  void theEtcdTargetReadsRangesAndTxnsFromTheGatewaysJson() throws Exception {
    String range = "{\"header\":{\"revision\":\"9\"},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\","
        + "\"mod_revision\":\"7\",\"version\":\"2\",\"value\":\"YmF6\"}],\"count\":\"1\"}";
    try (CannedHttpServer server = new CannedHttpServer((line, body) -> {
          if (line.startsWith("POST /v3/kv/range")) {
            return CannedHttpServer.response(200, "OK", "", body.contains("\"serializable\":true") ? range : "{\"header\":{}}");
          }
          if (line.startsWith("POST /v3/kv/txn")) {
            // Only a compare against mod_revision 7 succeeds; a failed txn omits "succeeded" (proto3 default).
            return CannedHttpServer.response(200, "OK", "",
                body.contains("\"mod_revision\":\"7\"") ? "{\"header\":{},\"succeeded\":true}" : "{\"header\":{}}");
          }
          return CannedHttpServer.response(200, "OK", "", "{\"header\":{}}");
        });
        SocketHttpTransport transport = transport(server, Duration.ofSeconds(5))) {
      Value value = Value.of("v".getBytes());
      EtcdTarget serializable = new EtcdTarget(transport, true, "/v3");
      EtcdTarget linearizable = new EtcdTarget(transport, false, "/v3");

      assertThat(serializable.execute(0, OpKind.GET, "foo", null).join()).isEqualTo(Outcome.ok(7));
      assertThat(linearizable.execute(0, OpKind.GET, "foo", null).join()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(serializable.execute(0, OpKind.CAS, "foo", value).join()).isEqualTo(Outcome.OK);
      assertThat(linearizable.execute(0, OpKind.CAS, "foo", value).join()).isEqualTo(Outcome.CONFLICT);
      assertThat(serializable.execute(0, OpKind.PUT, "foo", value).join()).isEqualTo(Outcome.OK);
    }
  }
}
