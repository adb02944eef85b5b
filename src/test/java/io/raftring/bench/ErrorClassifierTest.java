package io.raftring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void raftRingErrorsAreNamedByStatusAndJsonCode() {
    assertThat(ErrorClassifier.fromRaftRing(503, json("{\"error\":\"NO_QUORUM\",\"message\":\"no majority\"}")))
        .isEqualTo("HTTP 503 NO_QUORUM");
    assertThat(ErrorClassifier.fromRaftRing(503, json("{\"error\":\"OVERLOADED\",\"message\":\"shed\"}")))
        .isEqualTo("HTTP 503 OVERLOADED");
    assertThat(ErrorClassifier.fromRaftRing(429, json("{\"error\":\"RATE_LIMITED\",\"message\":\"slow down\"}")))
        .isEqualTo("HTTP 429 RATE_LIMITED");
    assertThat(ErrorClassifier.fromRaftRing(504, json("{\"error\":\"TIMEOUT\",\"message\":\"unknown outcome\"}")))
        .isEqualTo("HTTP 504 TIMEOUT");
    assertThat(ErrorClassifier.fromRaftRing(409, json("{\"error\":\"CONFLICT\",\"message\":\"x\",\"current_mod_revision\":4}")))
        .isEqualTo("HTTP 409 CONFLICT");
  }

  @Test
  void aBodyThatIsNotOurJsonLeavesOnlyTheStatus() {
    assertThat(ErrorClassifier.fromRaftRing(500, json("Internal Server Error"))).isEqualTo("HTTP 500");
    assertThat(ErrorClassifier.fromRaftRing(502, new byte[0])).isEqualTo("HTTP 502");
    assertThat(ErrorClassifier.fromRaftRing(500, json("{\"error\":\"free text, not a code\"}"))).isEqualTo("HTTP 500");
    assertThat(ErrorClassifier.fromRaftRing(500, json("{broken"))).isEqualTo("HTTP 500");
  }

  @Test
  void etcdErrorsAreNamedByStatusAndGrpcCode() {
    assertThat(ErrorClassifier.fromEtcd(
            503, json("{\"error\":\"etcdserver: request timed out\",\"message\":\"etcdserver: request timed out\",\"code\":14}")))
        .isEqualTo("HTTP 503 grpc UNAVAILABLE");
    assertThat(ErrorClassifier.fromEtcd(
            400, json("{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}")))
        .isEqualTo("HTTP 400 grpc INVALID_ARGUMENT");
    assertThat(ErrorClassifier.fromEtcd(404, json("404 page not found"))).isEqualTo("HTTP 404");
  }

  @Test
  void failuresWithoutAnAnswerAreNamedByWhatWentWrong() {
    assertThat(ErrorClassifier.fromThrowable(new CompletionException(new ConnectException("refused"))))
        .isEqualTo(ErrorClassifier.CONNECT);
    assertThat(ErrorClassifier.fromThrowable(new IOException("x", new ConnectException("refused"))))
        .isEqualTo(ErrorClassifier.CONNECT);
    assertThat(ErrorClassifier.fromThrowable(new HttpConnectTimeoutException("connect timed out")))
        .isEqualTo(ErrorClassifier.CONNECT);
    assertThat(ErrorClassifier.fromThrowable(new CompletionException(new HttpTimeoutException("request timed out"))))
        .isEqualTo(ErrorClassifier.CLIENT_TIMEOUT);
    assertThat(ErrorClassifier.fromThrowable(new IOException("connection reset"))).isEqualTo(ErrorClassifier.IO);
    assertThat(ErrorClassifier.fromThrowable(new IllegalStateException("bug"))).isEqualTo("CLIENT_IllegalStateException");
  }

  @Test
  void etcdAnswersAreScannedForTheQuotedModRevision() {
    String range = "{\"header\":{\"revision\":\"9\"},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\","
        + "\"mod_revision\":\"7\",\"version\":\"2\",\"value\":\"YmF6\"}],\"count\":\"1\"}";
    assertThat(EtcdTarget.quotedNumberAfter(range, "\"mod_revision\":")).isEqualTo(7);
    assertThat(EtcdTarget.quotedNumberAfter("{\"header\":{}}", "\"mod_revision\":")).isZero();
  }
}
