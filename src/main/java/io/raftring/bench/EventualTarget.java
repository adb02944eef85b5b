package io.raftring.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * RaftRing's eventually consistent keyspace: {@code PUT /v1/ev/{key}?w=W} with the raw value and no causal context
 * (a blind, last-writer-wins write, what a client that does not read first sends), {@code GET /v1/ev/{key}?r=R}. A 404
 * is {@link Outcome.Kind#NOT_FOUND}. It has no compare-and-set: a CAS workload is refused per operation.
 */
public final class EventualTarget implements KvTarget {

  private final HttpTransport transport;
  private final String w;
  private final String r;

  /** @param quorums "w=W,r=R" as {@link BenchSettings#consistency()} carries them for this target */
  public EventualTarget(HttpTransport transport, String quorums) {
    this.transport = transport;
    String[] parts = quorums.split(",");
    this.w = parts[0].substring("w=".length());
    this.r = parts[1].substring("r=".length());
  }

  @Override
  public CompletableFuture<Outcome> execute(long slot, OpKind kind, String key, Value value) {
    try {
      return switch (kind) {
        case PUT -> send(slot, "PUT", "/v1/ev/" + RaftRingTarget.encode(key) + "?w=" + w, value.bytes());
        case GET -> send(slot, "GET", "/v1/ev/" + RaftRingTarget.encode(key) + "?r=" + r, null);
        case CAS -> CompletableFuture.completedFuture(Outcome.error("UNSUPPORTED", "ev has no compare-and-set"));
        case TXN_TRANSFER -> CompletableFuture.completedFuture(Outcome.error("UNSUPPORTED", "ev has no transactions"));
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Outcome.failed(e));
    }
  }

  private CompletableFuture<Outcome> send(long slot, String method, String path, byte[] body) {
    String contentType = body == null ? null : "application/octet-stream";
    return transport.send(slot, method, path, contentType, body).handle((response, failure) -> {
      if (failure != null) {
        return Outcome.failed(failure);
      }
      int status = response.status();
      if (status == 200) {
        return Outcome.ok(0);
      }
      String code = ErrorClassifier.fromRaftRing(status, response.body());
      return code.equals("HTTP 404 NOT_FOUND")
          ? Outcome.NOT_FOUND
          : Outcome.error(code, new String(response.body(), StandardCharsets.UTF_8));
    });
  }
}
