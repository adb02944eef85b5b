package io.raftring.http;

import io.raftring.api.ClusterApi;
import io.raftring.api.ClusterStatus;
import io.raftring.api.RaftRingException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A ClusterApi whose readiness and status the test sets. */
final class FakeClusterApi implements ClusterApi {

  volatile boolean ready = true;
  volatile String reason = "";
  volatile RaftRingException failure;

  static final ClusterStatus STATUS = new ClusterStatus(
      "node-a",
      List.of("node-a", "node-b", "node-c"),
      true,
      List.of(new ClusterStatus.Group(
          "g1",
          List.of("node-a", "node-b", "node-c"),
          "node-a",
          7,
          List.of(
              new ClusterStatus.Replica("node-a", "leader", 7, 120, 120, 121, true, true),
              new ClusterStatus.Replica("node-b", "follower", 7, 120, 119, 121, true, false),
              new ClusterStatus.Replica("node-c", "follower", 0, 0, 0, 0, false, false)))));

  @Override
  public String nodeName() {
    return "node-a";
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public String notReadyReason() {
    return ready ? "" : reason;
  }

  @Override
  public CompletionStage<ClusterStatus> clusterStatus(Duration timeout) {
    return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(STATUS);
  }
}
