package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftring lock NAME -- COMMAND}: runs COMMAND while holding lock NAME. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = {
      "Acquire lock NAME (waiting in line, first come first served), run COMMAND while holding it, release it.",
      "COMMAND gets RAFTRING_LOCK_NAME, RAFTRING_LOCK_KEY, RAFTRING_FENCING_TOKEN and RAFTRING_LEASE_ID in its"
          + " environment; pass the fencing token to whatever the lock protects, so it can refuse a holder that lost"
          + " the lock without knowing it. Without COMMAND, print 'KEY<TAB>TOKEN' and hold the lock until"
          + " interrupted.",
      "The lock is held on a lease kept alive every TTL/3; should it be lost (the node unreachable for a whole"
          + " TTL), COMMAND is stopped (SIGTERM, then SIGKILL after 10 s).",
      "Exit: COMMAND's exit code; 1 if the lock was lost; 2 bad usage; 3 server error."
    })
final class LockCommand extends ClientCommand {

  private static final Duration ASK = Duration.ofSeconds(10);

  @Parameters(index = "0", paramLabel = "NAME", description = "the lock")
  String name;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMAND", description = "what to run while holding it")
  List<String> command = List.of();

  @Option(names = "--ttl", defaultValue = "10s", converter = DurationConverter.class,
      description = "the lease's time to live: how long the lock outlives this process if it dies (default 10s)")
  Duration ttl;

  @Override
  int run(KvClient client) throws KvClient.Failure, IOException {
    AtomicBoolean lost = new AtomicBoolean();
    Process[] child = new Process[1];
    try (LeaseKeeper lease = LeaseKeeper.grant(client, ttl, () -> {
      lost.set(true);
      main.stderr.println("raftring lock: lost lock '" + name + "': its lease could not be kept alive");
      stop(child[0]);
    })) {
      Thread release = new Thread(lease::close, "raftring-lock-release");
      Runtime.getRuntime().addShutdownHook(release);
      JsonNode owner = acquire(client, "/v1/locks/" + KvClient.encode(name), lease.leaseId(), null, lost);
      String token = owner.get("fencing_token").asText();
      if (command.isEmpty()) {
        main.stdout.println(owner.get("key").asText() + "\t" + token);
        main.stdout.flush();
        holdUntilInterruptedOrLost(lost);
        return lost.get() ? RaftRingMain.REFUSED : RaftRingMain.OK;
      }
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().put("RAFTRING_LOCK_NAME", name);
      builder.environment().put("RAFTRING_LOCK_KEY", owner.get("key").asText());
      builder.environment().put("RAFTRING_FENCING_TOKEN", token);
      builder.environment().put("RAFTRING_LEASE_ID", lease.leaseId());
      child[0] = builder.start();
      int exit = child[0].waitFor();
      Runtime.getRuntime().removeShutdownHook(release);
      return lost.get() ? RaftRingMain.REFUSED : exit;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(child[0]);
      return RaftRingMain.UNAVAILABLE;
    }
  }

  /**
   * Asks until the lease owns the queue at {@code path} (each ask waits up to {@link #ASK}; the lease keeps its place
   * between asks); the answer's JSON.
   */
  static JsonNode acquire(KvClient client, String path, String leaseId, byte[] value, AtomicBoolean lost)
      throws KvClient.Failure {
    String ask = path + KvClient.query("lease", leaseId, "timeout", ASK.toMillis() + "ms");
    while (!lost.get()) {
      KvClient.Response answer = client.send("POST", ask, value, KvClient.APPLICATION_JSON);
      if (answer.isSuccess()) {
        return answer.json();
      }
      if (answer.status() != 504) {
        throw KvClient.failureOf(answer);
      }
    }
    throw new KvClient.Failure(RaftRingMain.REFUSED, "the lease was lost while waiting");
  }

  static void holdUntilInterruptedOrLost(AtomicBoolean lost) {
    while (!lost.get()) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** SIGTERM, then SIGKILL if it is still running 10 s later. */
  private static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    Thread killer = new Thread(() -> {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }, "raftring-lock-stop");
    killer.setDaemon(true);
    killer.start();
  }
}
