package io.raftring.cli;

import java.time.Duration;

/**
 * Keeps a lease alive from the command line, as etcd's client does: a keep-alive every TTL/3, retried quickly when it
 * fails, and the lease counted as lost when the server says it is gone (404) or no keep-alive got through for a whole
 * TTL. {@link #close} stops and revokes it, which releases whatever it held.
 */
final class LeaseKeeper implements AutoCloseable {

  private static final Duration RETRY = Duration.ofMillis(300);

  private final KvClient client;
  private final String leaseId;
  private final Duration ttl;
  private final Runnable onLost;
  private final Thread thread;
  private volatile boolean stopped;

  private LeaseKeeper(KvClient client, String leaseId, Duration ttl, Runnable onLost) {
    this.client = client;
    this.leaseId = leaseId;
    this.ttl = ttl;
    this.onLost = onLost;
    this.thread = new Thread(this::run, "raftring-lease-keeper");
    this.thread.setDaemon(true);
  }

  /** Grants a lease of {@code ttl} and keeps it alive until closed; {@code onLost} runs if it is lost meanwhile. */
  static LeaseKeeper grant(KvClient client, Duration ttl, Runnable onLost) throws KvClient.Failure {
    KvClient.Response granted = client.expectSuccess("POST",
        "/v1/leases" + KvClient.query("ttl", ttl.toMillis() + "ms"), null, KvClient.APPLICATION_JSON);
    String id = granted.json().get("id").asText();
    Duration grantedTtl = Duration.ofMillis(granted.json().get("ttl_ms").asLong());
    LeaseKeeper keeper = new LeaseKeeper(client, id, grantedTtl, onLost);
    keeper.thread.start();
    return keeper;
  }

  String leaseId() {
    return leaseId;
  }

  private void run() {
    long lastRenewed = System.nanoTime();
    while (!stopped) {
      Duration wait = ttl.dividedBy(3);
      try {
        KvClient.Response answer = client.send("POST", "/v1/leases/" + leaseId + "/keepalive", null,
            KvClient.APPLICATION_JSON);
        if (answer.status() == 200) {
          lastRenewed = System.nanoTime();
        } else if (answer.status() == 404) {
          lost();
          return;
        } else {
          wait = RETRY;
        }
      } catch (KvClient.Failure e) {
        wait = RETRY;
      }
      if (System.nanoTime() - lastRenewed > ttl.toNanos()) {
        lost();
        return;
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void lost() {
    if (!stopped) {
      onLost.run();
    }
  }

  /** Stops the keep-alives and revokes the lease (best effort: if the server is unreachable it expires anyway). */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      client.send("DELETE", "/v1/leases/" + leaseId, null, KvClient.APPLICATION_JSON);
    } catch (KvClient.Failure e) {
      // it expires after its TTL
    }
  }
}
