package io.raftring.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * etcd 3.4's JSON gateway ({@code /v3/...}; 3.4 also keeps {@code /v3beta}): {@code POST /v3/kv/put},
 * {@code POST /v3/kv/range} with {@code serializable} true for a stale (serializable) read, and a compare-and-set as
 * a range (for the key's {@code mod_revision}; 0 when absent) followed by {@code POST /v3/kv/txn} comparing
 * {@code MOD} to it. A txn answering without {@code "succeeded":true} is a {@link Outcome.Kind#CONFLICT}. Bytes are
 * base64 in the JSON; a range without {@code kvs} means the key is absent. A transfer is one {@code /v3/kv/txn}
 * with two {@code request_put}s. Answers are scanned, not parsed: the
 * gateway's JSON shape is fixed and a full parse per answer is measurable overhead on two cores.
 */
public final class EtcdTarget implements KvTarget {

  private final HttpTransport transport;
  private final boolean serializable;
  private final String apiPrefix;

  /**
   * @param serializable true for etcd's serializable (stale) reads, false for linearizable ones
   * @param apiPrefix {@code /v3} for etcd 3.4+, {@code /v3beta} for 3.3
   */
  public EtcdTarget(HttpTransport transport, boolean serializable, String apiPrefix) {
    this.transport = transport;
    this.serializable = serializable;
    this.apiPrefix = apiPrefix;
  }

  @Override
  public CompletableFuture<Outcome> execute(long slot, OpKind kind, String key, Value value) {
    try {
      String key64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
      return switch (kind) {
        case PUT -> put(slot, key64, value);
        case GET -> range(slot, key64);
        case CAS -> range(slot, key64).thenCompose(read -> cas(slot, key64, value, read));
        case TXN_TRANSFER -> transfer(slot, key, value);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Outcome.failed(e));
    }
  }

  private CompletableFuture<Outcome> put(long slot, String key64, Value value) {
    String body = "{\"key\":\"" + key64 + "\",\"value\":\"" + value.base64() + "\"}";
    return post(slot, "/kv/put", body, response -> Outcome.OK);
  }

  private CompletableFuture<Outcome> range(long slot, String key64) {
    String body = "{\"key\":\"" + key64 + "\",\"serializable\":" + serializable + "}";
    return post(slot, "/kv/range", body, response -> {
      String text = new String(response, StandardCharsets.UTF_8);
      if (!text.contains("\"kvs\"")) {
        return Outcome.NOT_FOUND;
      }
      long modRevision = quotedNumberAfter(text, "\"mod_revision\":");
      return modRevision > 0 ? Outcome.ok(modRevision) : Outcome.error(ErrorClassifier.BAD_RESPONSE);
    });
  }

  private CompletableFuture<Outcome> cas(long slot, String key64, Value value, Outcome read) {
    long expected;
    switch (read.kind()) {
      case OK -> expected = read.modRevision();
      case NOT_FOUND -> expected = 0;
      default -> {
        return CompletableFuture.completedFuture(read);
      }
    }
    String body =
        "{\"compare\":[{\"key\":\"" + key64 + "\",\"target\":\"MOD\",\"result\":\"EQUAL\",\"mod_revision\":\""
            + expected + "\"}],\"success\":[{\"request_put\":{\"key\":\"" + key64 + "\",\"value\":\""
            + value.base64() + "\"}}]}";
    return post(slot, "/kv/txn", body, response -> {
      String text = new String(response, StandardCharsets.UTF_8);
      return text.contains("\"succeeded\":true") ? Outcome.OK : Outcome.CONFLICT;
    });
  }

  /** One Txn putting {@code key/debit} and {@code key/credit} (etcd has one group: same or cross makes no odds). */
  private CompletableFuture<Outcome> transfer(long slot, String key, Value value) {
    String debit = Base64.getEncoder().encodeToString((key + "/debit").getBytes(StandardCharsets.UTF_8));
    String credit = Base64.getEncoder().encodeToString((key + "/credit").getBytes(StandardCharsets.UTF_8));
    String body = "{\"success\":[{\"request_put\":{\"key\":\"" + debit + "\",\"value\":\"" + value.base64()
        + "\"}},{\"request_put\":{\"key\":\"" + credit + "\",\"value\":\"" + value.base64() + "\"}}]}";
    return post(slot, "/kv/txn", body, response -> Outcome.OK);
  }

  private CompletableFuture<Outcome> post(
      long slot, String path, String body, Function<byte[], Outcome> onOk) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return transport.send(slot, "POST", apiPrefix + path, "application/json", bytes).handle((response, failure) -> {
      if (failure != null) {
        return Outcome.failed(failure);
      }
      if (response.status() == 200) {
        return onOk.apply(response.body());
      }
      return Outcome.error(
          ErrorClassifier.fromEtcd(response.status(), response.body()), new String(response.body(), StandardCharsets.UTF_8));
    });
  }

  /** The number in {@code "field":"123"} (the gateway quotes 64-bit integers), or 0 when absent. */
  static long quotedNumberAfter(String text, String field) {
    int at = text.indexOf(field);
    if (at < 0) {
      return 0;
    }
    int i = at + field.length();
    while (i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == ' ')) {
      i++;
    }
    long number = 0;
    boolean any = false;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      number = number * 10 + (text.charAt(i) - '0');
      any = true;
      i++;
    }
    return any ? number : 0;
  }
}
