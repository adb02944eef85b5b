package io.raftring.raft;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.ReceiveBuilder;
import io.raftring.raft.ReplicaProtocol.Command;

/**
 * A candidate's behaviour: its own randomized election timer (section 5.2). If the election is neither won nor lost
 * when it fires (a split vote), the core starts over through a pre-vote; the votes themselves are the core's
 * {@link Candidate}.
 */
final class CandidateBehavior extends RoleBehavior {

  static Behavior<Command> create(ReplicaDriver driver) {
    return Behaviors.setup(ctx -> new CandidateBehavior(driver));
  }

  private CandidateBehavior(ReplicaDriver driver) {
    super(driver);
    driver.startElectionTimer();
    getContext().getLog().debug("{} campaigns in term {}", driver.id, term);
  }

  @Override
  RoleName role() {
    return RoleName.CANDIDATE;
  }

  @Override
  ReceiveBuilder<Command> roleHandlers(ReceiveBuilder<Command> builder) {
    return builder.onMessageEquals(RaftReplica.Internal.ELECTION_TIMEOUT, this::onElectionTimeout);
  }
}
