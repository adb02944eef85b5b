package io.raftring;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.GroupRouter;
import io.raftring.raft.ReadConsistency;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.txn.GroupClient;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The transaction layer's way to the groups: the router, with its leader finding and retries, at linearizable reads. */
final class RoutedGroupClient implements GroupClient {

  private final GroupRouter router;

  RoutedGroupClient(GroupRouter router) {
    this.router = router;
  }

  @Override
  public CompletionStage<byte[]> propose(String group, byte[] command, Duration timeout) {
    return router.propose(group, command, timeout).thenApply(ReplicaProtocol.Applied::result);
  }

  @Override
  public CompletionStage<byte[]> read(String group, byte[] query, Duration timeout) {
    return router.read(group, query, ReadConsistency.LINEARIZABLE, timeout).thenApply(ReplicaProtocol.ReadResult::result);
  }

  /** The router says TIMEOUT once a leader may have appended a proposal; anything it does not name is unknown too. */
  @Override
  public boolean mayHaveApplied(Throwable failure) {
    RaftRingException e = RaftRingException.find(failure);
    return e == null || e.code() == ErrorCode.TIMEOUT || e.code() == ErrorCode.INTERNAL;
  }
}
