package io.raftring.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The bank over {@code POST /v1/txn}: a read-only transaction reads accounts as one snapshot, a transfer moves money
 * between two accounts only if both still hold what was read. Balances are stored as {@code <balance>:<tag>}, the tag
 * naming the transfer that wrote it, so every value is unique and each account's history can be followed back.
 * Answers are classified as a history needs them: OK, FAIL (certainly nothing applied) or INFO (unknown).
 */
final class BankClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NOT_APPLIED_503 = Set.of("NO_QUORUM", "OVERLOADED", "NOT_READY");

  /** A snapshot: the values read, in the order asked (null when the read failed). */
  record Snapshot(List<String> values, int status, String error) {}

  /** How a transfer ended: OK with succeeded = whether the compares held; FAIL; or INFO. */
  record Transfer(KvClient.Kind kind, boolean succeeded, int status, String error) {}

  private final NodeCluster cluster;
  private final Duration timeout;

  BankClient(NodeCluster cluster, Duration timeout) {
    this.cluster = cluster;
    this.timeout = timeout;
  }

  static int balance(String value) {
    return Integer.parseInt(value.substring(0, value.indexOf(':')));
  }

  Snapshot read(NodeCluster.Node node, List<String> accounts) {
    ObjectNode txn = JSON.createObjectNode();
    ArrayNode success = txn.putArray("success");
    for (String account : accounts) {
      success.addObject().putObject("get").put("key", account);
    }
    Answer answer = post(node, txn);
    if (answer.status != 200) {
      return new Snapshot(null, answer.status, answer.error);
    }
    List<String> values = new ArrayList<>();
    for (JsonNode result : answer.body.get("results")) {
      JsonNode kvs = result.get("get").get("kvs");
      values.add(kvs.isEmpty() ? null
          : new String(java.util.Base64.getDecoder().decode(kvs.get(0).get("value").asText()), StandardCharsets.UTF_8));
    }
    return new Snapshot(values, 200, null);
  }

  /** Sets {@code from} and {@code to} to the new values if they still hold the expected ones. */
  Transfer transfer(NodeCluster.Node node, String from, String expectedFrom, String newFrom, String to,
      String expectedTo, String newTo) {
    ObjectNode txn = JSON.createObjectNode();
    ArrayNode compare = txn.putArray("compare");
    compare.addObject().put("key", from).put("target", "value").put("op", "=").put("value", expectedFrom);
    compare.addObject().put("key", to).put("target", "value").put("op", "=").put("value", expectedTo);
    ArrayNode success = txn.putArray("success");
    success.addObject().putObject("put").put("key", from).put("value", newFrom);
    success.addObject().putObject("put").put("key", to).put("value", newTo);
    return classify(post(node, txn));
  }

  /** Writes the opening balances, every account at once. */
  Transfer open(NodeCluster.Node node, List<String> accounts, String value) {
    ObjectNode txn = JSON.createObjectNode();
    ArrayNode success = txn.putArray("success");
    for (String account : accounts) {
      success.addObject().putObject("put").put("key", account).put("value", value);
    }
    return classify(post(node, txn));
  }

  /** Arms {@code node} to halt at {@code phase} of the next two-phase transaction it coordinates. */
  void armCrash(NodeCluster.Node node, String phase) {
    HttpResponse<String> response = cluster.post(node, "/v1/test/txn-crash", "{\"phase\":\"" + phase + "\"}");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("arming " + node + " failed: " + response.body());
    }
  }

  private static Transfer classify(Answer answer) {
    if (answer.status == 200) {
      return new Transfer(KvClient.Kind.OK, answer.body.get("succeeded").asBoolean(), 200, null);
    }
    boolean notApplied = answer.status == 409 || answer.status >= 400 && answer.status < 500 && answer.status != 408
        || answer.status == 503 && NOT_APPLIED_503.contains(answer.error);
    return new Transfer(notApplied ? KvClient.Kind.FAIL : KvClient.Kind.INFO, false, answer.status, answer.error);
  }

  private record Answer(int status, JsonNode body, String error) {}

  private Answer post(NodeCluster.Node node, ObjectNode txn) {
    HttpRequest request = HttpRequest.newBuilder(cluster.uri(node, "/v1/txn?timeout=" + timeout.toMillis() + "ms"))
        .timeout(timeout.plusSeconds(1)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(txn.toString())).build();
    try {
      HttpResponse<String> response = cluster.http().send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      String error = body != null && body.has("error") ? body.get("error").asText() : null;
      return new Answer(response.statusCode(), body, error);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      // No connection, so nothing was sent: certainly not applied (as a 4xx refusal).
      return new Answer(499, null, e.getClass().getSimpleName());
    } catch (IOException e) {
      return new Answer(-1, null, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, null, "interrupted");
    }
  }
}
