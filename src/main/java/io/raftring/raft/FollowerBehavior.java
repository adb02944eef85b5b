package io.raftring.raft;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.ReceiveBuilder;
import io.raftring.raft.ReplicaProtocol.Command;

/**
 * A follower's behaviour: its randomized election timer (section 5.2), re-armed whenever the core heard from its
 * leader or granted a vote; when it fires, the core runs a pre-vote (dissertation section 9.6). Everything else a
 * follower does, answering leaders and candidates, is the core's {@link Follower}.
 */
final class FollowerBehavior extends RoleBehavior {

  static Behavior<Command> create(ReplicaDriver driver) {
    return Behaviors.setup(ctx -> new FollowerBehavior(driver));
  }

  private FollowerBehavior(ReplicaDriver driver) {
    super(driver);
    driver.startElectionTimer();
  }

  @Override
  RoleName role() {
    return RoleName.FOLLOWER;
  }

  @Override
  ReceiveBuilder<Command> roleHandlers(ReceiveBuilder<Command> builder) {
    return builder.onMessageEquals(RaftReplica.Internal.ELECTION_TIMEOUT, this::onElectionTimeout);
  }
}
