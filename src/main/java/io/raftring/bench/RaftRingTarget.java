package io.raftring.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * RaftRing's HTTP API: {@code PUT /v1/kv/{key}} with the raw value, {@code GET /v1/kv/{key}?consistency=...}, and a
 * compare-and-set as a read (for the key's {@code X-RaftRing-Mod-Revision}; 0 when absent) followed by
 * {@code PUT /v1/kv/{key}?prev_revision=N}. A 409 on that put is a {@link Outcome.Kind#CONFLICT}; a 404 NOT_FOUND on
 * a read is {@link Outcome.Kind#NOT_FOUND}. The CAS's latency covers both requests. A transfer is one
 * {@code POST /v1/txn} putting its two keys ({@link TransferKeys}); a 409 (aborted by another transaction's locks) is a
 * {@link Outcome.Kind#CONFLICT}.
 */
public final class RaftRingTarget implements KvTarget {

  public static final String MOD_REVISION_HEADER = "X-RaftRing-Mod-Revision";

  private final HttpTransport transport;
  private final String consistency;
  private final TransferKeys transfers;

  public RaftRingTarget(HttpTransport transport, String consistency) {
    this(transport, consistency, TransferKeys.sameGroup());
  }

  RaftRingTarget(HttpTransport transport, String consistency, TransferKeys transfers) {
    this.transport = transport;
    this.consistency = consistency;
    this.transfers = transfers;
  }

  @Override
  public CompletableFuture<Outcome> execute(long slot, OpKind kind, String key, Value value) {
    try {
      return switch (kind) {
        case PUT -> put(slot, key, value, -1);
        case GET -> get(slot, key);
        case CAS -> get(slot, key).thenCompose(read -> cas(slot, key, value, read));
        case TXN_TRANSFER -> transfer(slot, transfers.of(key), value);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Outcome.failed(e));
    }
  }

  private CompletableFuture<Outcome> cas(long slot, String key, Value value, Outcome read) {
    return switch (read.kind()) {
      case OK -> read.modRevision() > 0
          ? put(slot, key, value, read.modRevision())
          : CompletableFuture.completedFuture(Outcome.error(ErrorClassifier.BAD_RESPONSE));
      case NOT_FOUND -> put(slot, key, value, 0);
      default -> CompletableFuture.completedFuture(read);
    };
  }

  private CompletableFuture<Outcome> put(long slot, String key, Value value, long prevRevision) {
    String path = "/v1/kv/" + encode(key) + (prevRevision >= 0 ? "?prev_revision=" + prevRevision : "");
    return transport.send(slot, "PUT", path, "application/octet-stream", value.bytes()).handle((response, failure) -> {
      if (failure != null) {
        return Outcome.failed(failure);
      }
      int status = response.status();
      if (status / 100 == 2) {
        return Outcome.ok(modRevision(response));
      }
      if (status == 409 && prevRevision >= 0) {
        return Outcome.CONFLICT;
      }
      return Outcome.error(ErrorClassifier.fromRaftRing(status, response.body()), new String(response.body(), StandardCharsets.UTF_8));
    });
  }

  private CompletableFuture<Outcome> transfer(long slot, String[] keys, Value value) {
    String body = "{\"success\":[{\"put\":{\"key\":" + jsonString(keys[0]) + ",\"value_base64\":\""
        + value.base64() + "\"}},{\"put\":{\"key\":" + jsonString(keys[1]) + ",\"value_base64\":\""
        + value.base64() + "\"}}]}";
    return transport.send(slot, "POST", "/v1/txn", "application/json", body.getBytes(StandardCharsets.UTF_8))
        .handle((response, failure) -> {
          if (failure != null) {
            return Outcome.failed(failure);
          }
          if (response.status() == 200) {
            return Outcome.OK;
          }
          if (response.status() == 409) {
            return Outcome.CONFLICT;
          }
          return Outcome.error(ErrorClassifier.fromRaftRing(response.status(), response.body()),
              new String(response.body(), StandardCharsets.UTF_8));
        });
  }

  /** Bench keys are printable ASCII; quotes and backslashes are escaped all the same. */
  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private CompletableFuture<Outcome> get(long slot, String key) {
    String path = "/v1/kv/" + encode(key) + "?consistency=" + consistency;
    return transport.send(slot, "GET", path, null, null).handle((response, failure) -> {
      if (failure != null) {
        return Outcome.failed(failure);
      }
      int status = response.status();
      if (status == 200) {
        return Outcome.ok(modRevision(response));
      }
      String code = ErrorClassifier.fromRaftRing(status, response.body());
      return code.equals("HTTP 404 NOT_FOUND")
          ? Outcome.NOT_FOUND
          : Outcome.error(code, new String(response.body(), StandardCharsets.UTF_8));
    });
  }

  private static long modRevision(HttpTransport.Response response) {
    return response.modRevision() == null ? 0 : parseLong(response.modRevision());
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
