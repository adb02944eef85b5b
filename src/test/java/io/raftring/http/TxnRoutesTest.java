package io.raftring.http;

import static io.raftring.http.TestServer.assertError;
import static io.raftring.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.txn.Compare;
import io.raftring.txn.OpResult;
import io.raftring.txn.TxnId;
import io.raftring.txn.TxnOp;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/txn and GET /v1/txn/{id} over a fake API: the JSON both ways and every error the API can give. */
class TxnRoutesTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.txn.requests.clear();
    server.txn.failure = null;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> post(String body) throws Exception {
    return server.send("POST", "/v1/txn", bytes(body), "Content-Type", "application/json");
  }

  @Test
  void theIssuesExampleParsesIntoCompareSuccessAndFailure() throws Exception {
    HttpResponse<byte[]> answer = post("{\"compare\":[{\"key\":\"a\",\"target\":\"value\",\"op\":\"=\",\"value\":\"100\"}],"
        + "\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"90\"}},{\"put\":{\"key\":\"b\",\"value\":\"110\"}}],"
        + "\"failure\":[{\"get\":{\"key\":\"a\"}}]}");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(server.txn.requests).containsExactly(TxnRequest.builder()
        .when(Compare.value("a", Compare.Operator.EQUAL, bytes("100")))
        .then(TxnOp.put("a", bytes("90")), TxnOp.put("b", bytes("110")))
        .otherwise(TxnOp.get("a"))
        .build());
  }

  @Test
  void base64KeysAndValuesNumbersAndExistsAreRead() throws Exception {
    String binary = Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff});
    HttpResponse<byte[]> answer = post("{\"compare\":[{\"key\":\"a\",\"target\":\"mod_revision\",\"op\":\"<\",\"value\":7},"
        + "{\"key_base64\":\"" + Base64.getEncoder().encodeToString(bytes("k")) + "\",\"target\":\"exists\","
        + "\"op\":\"=\",\"value\":false}],"
        + "\"success\":[{\"put\":{\"key\":\"k\",\"value_base64\":\"" + binary + "\"}},{\"delete\":{\"key\":\"d\"}},"
        + "{\"range\":{\"prefix\":\"{t}/\",\"limit\":5}}]}");

    assertThat(answer.statusCode()).as(TestServer.text(answer)).isEqualTo(200);
    TxnRequest request = server.txn.requests.get(0);
    assertThat(request.compares()).containsExactly(Compare.modRevision("a", Compare.Operator.LESS, 7),
        Compare.exists("k", false));
    assertThat(request.success()).containsExactly(TxnOp.put("k", new byte[] {0, (byte) 0xff}), TxnOp.delete("d"),
        TxnOp.range("{t}/", 5));
  }

  @Test
  void theAnswerListsEachOperationsResultInOrderWithTheTransactionId() throws Exception {
    KeyValue kv = new KeyValue("a", bytes("100"), 1, 1, 1);
    server.txn.answer = new TxnOutcome.Completed(Optional.of(TxnId.parse("g1-1700000000000-3-0-n1")), true, 9,
        "g1", true, List.of(new OpResult.PutResult(9, Optional.of(kv)), new OpResult.PutResult(0, Optional.empty()),
            new OpResult.GetResult(Optional.of(kv)), new OpResult.DeleteResult(0, Optional.empty())));

    JsonNode body = json(post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\"}}]}"));

    assertThat(body.get("succeeded").asBoolean()).isTrue();
    assertThat(body.get("revision").asLong()).isEqualTo(9);
    assertThat(body.get("txn_id").asText()).isEqualTo("g1-1700000000000-3-0-n1");
    assertThat(body.get("two_phase").asBoolean()).isTrue();
    JsonNode results = body.get("results");
    assertThat(results.get(0).get("put").get("revision").asLong()).isEqualTo(9);
    assertThat(results.get(0).get("put").get("prev_kv").get("key").asText()).isEqualTo("a");
    assertThat(results.get(1).get("put").get("revision").isNull()).isTrue();
    assertThat(results.get(2).get("get").get("kvs").get(0).get("mod_revision").asLong()).isEqualTo(1);
    assertThat(results.get(2).get("get").get("count").asInt()).isEqualTo(1);
    assertThat(results.get(3).get("delete").get("deleted").asInt()).isZero();
  }

  @Test
  void malformedTransactionsAre400AndReachNothing() throws Exception {
    assertError(post("not json"), 400, "BAD_REQUEST");
    assertError(post("[]"), 400, "BAD_REQUEST");
    assertError(post("{\"succes\":[]}"), 400, "BAD_REQUEST");
    assertError(post("{\"success\":[{\"put\":{\"key\":\"a\"}}]}"), 400, "BAD_REQUEST");
    assertError(post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\",\"lease\":3}}]}"), 400, "BAD_REQUEST");
    assertError(post("{\"success\":[{\"upsert\":{\"key\":\"a\"}}]}"), 400, "BAD_REQUEST");
    assertError(post("{\"compare\":[{\"key\":\"a\",\"target\":\"value\",\"op\":\"~\",\"value\":\"1\"}]}"), 400,
        "BAD_REQUEST");
    assertError(post("{\"compare\":[{\"key\":\"a\",\"target\":\"version\",\"op\":\"=\",\"value\":\"x\"}]}"), 400,
        "BAD_REQUEST");
    assertError(post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\"}},{\"put\":{\"key\":\"a\",\"value\":\"2\"}}]}"),
        400, "BAD_REQUEST");
    assertError(post("{\"success\":[{\"get\":{\"key_base64\":\"@@\"}}]}"), 400, "BAD_REQUEST");
    assertError(post("{\"success\":[[[[[[[[[]]]]]]]]]}"), 400, "BAD_REQUEST");
    assertError(post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"" + "v".repeat(100) + "\"}}]}"), 413,
        "TOO_LARGE");
    assertThat(server.txn.requests).isEmpty();
  }

  @Test
  void aConflictIs409NamingTheTransactionWithRetryAfterAndAnUnknownOutcomeIs504() throws Exception {
    server.txn.failure = new RaftRingException(ErrorCode.CONFLICT, "aborted: locked", "g0-1-1-0-n1");
    HttpResponse<byte[]> conflict = post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\"}}]}");
    assertThat(assertError(conflict, 409, "CONFLICT").get("txn_id").asText()).isEqualTo("g0-1-1-0-n1");
    assertThat(conflict.headers().firstValue("Retry-After")).isPresent();

    server.txn.failure = new RaftRingException(ErrorCode.TIMEOUT, "unknown", "g0-1-2-0-n1");
    HttpResponse<byte[]> unknown = post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\"}}]}");
    assertThat(assertError(unknown, 504, "TIMEOUT").get("txn_id").asText()).isEqualTo("g0-1-2-0-n1");

    server.txn.failure = new RaftRingException(ErrorCode.NO_QUORUM, "no quorum");
    assertError(post("{\"success\":[{\"put\":{\"key\":\"a\",\"value\":\"1\"}}]}"), 503, "NO_QUORUM");
  }

  @Test
  void theStatusOfATransactionIsItsRecord() throws Exception {
    JsonNode body = json(server.get("/v1/txn/g1-1700000000000-3-0-n1"));

    assertThat(body.get("state").asText()).isEqualTo("committed");
    assertThat(body.get("participants")).hasSize(2);
    assertThat(server.txn.statusAsked).contains("g1-1700000000000-3-0-n1");
    assertError(server.get("/v1/txn/g1?surprise=1"), 400, "BAD_REQUEST");
  }
}
