package io.raftring.bench;

import java.util.concurrent.CompletableFuture;

/**
 * A store the load tool drives. {@code execute} never throws and its future never fails: every way a request can end
 * is an {@link Outcome}. The slot picks the endpoint (see {@link HttpTransport}).
 */
public interface KvTarget {

  CompletableFuture<Outcome> execute(long slot, OpKind kind, String key, Value value);
}
