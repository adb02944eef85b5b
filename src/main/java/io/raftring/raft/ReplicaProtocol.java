package io.raftring.raft;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.List;
import java.util.Set;

/**
 * What a replica of a Raft group accepts from clients, operators and its node, and what it answers: the replica's
 * protocol, in one place (the Raft messages replicas send each other are {@link PeerMessage}). Reply types sit next to
 * their requests; {@code replyTo} is where the answer goes.
 *
 * <p>Answers keep "certainly not done" ({@link NotLeader}, {@link Rejected}, {@link ChangeRejected}) apart from
 * "maybe done" ({@link Unknown}), so that callers retry only what is safe to retry.
 */
public final class ReplicaProtocol {

  private ReplicaProtocol() {}

  /** Everything a replica accepts. */
  public interface Command extends CborSerializable {}

  // ---- writes and reads --------------------------------------------------------------------------------------------

  /** Asks the leader to append {@code command} and answer once it is applied. */
  public record Propose(byte[] command, ActorRef<ProposeReply> replyTo) implements Command {}

  /** The outcome of a proposal. */
  public sealed interface ProposeReply extends CborSerializable {}

  /** Committed and applied at {@code index}; {@code result} is what the state machine returned. */
  public record Applied(long index, byte[] result) implements ProposeReply {}

  /**
   * Reads the state machine with {@code query} at the given consistency; strong reads are served by the leader
   * only.
   */
  public record Read(byte[] query, ReadConsistency consistency, ActorRef<ReadReply> replyTo) implements Command {}

  /** The outcome of a read. */
  public sealed interface ReadReply extends CborSerializable {}

  /**
   * The state machine's answer, from {@code node}, whose applied index was {@code appliedIndex}; {@code leader} says
   * whether that node led when it answered (a stale read from a follower may lag).
   */
  public record ReadResult(byte[] result, long appliedIndex, String node, boolean leader) implements ReadReply {}

  /** Certainly not done: this replica does not lead. {@code leaderHint} is the leader it knows, or null. */
  public record NotLeader(String leaderHint) implements ProposeReply, ReadReply, ChangeReply {
    @JsonCreator
    public NotLeader(@JsonProperty("leaderHint") String leaderHint) {
      this.leaderHint = leaderHint;
    }
  }

  /** Certainly not done: the leader refused it (overload). */
  public record Rejected(String reason) implements ProposeReply, ReadReply {
    @JsonCreator
    public Rejected(@JsonProperty("reason") String reason) {
      this.reason = reason;
    }
  }

  /** Appended, but leadership was lost before it applied: it may or may not commit later. */
  public record Unknown(String reason) implements ProposeReply, ChangeReply {
    @JsonCreator
    public Unknown(@JsonProperty("reason") String reason) {
      this.reason = reason;
    }
  }

  // ---- membership (dissertation chapter 4) and leadership transfer (section 3.10) ---------------------------------

  /**
   * Asks the leader to add {@code node} as a learner: it receives the log (or a snapshot) but does not vote. Answered
   * with {@link ChangeDone} once the configuration entry is committed (at once if {@code node} already is a learner).
   */
  public record AddLearner(String node, ActorRef<ChangeReply> replyTo) implements Command {}

  /**
   * Asks the leader to make the learner {@code node} a voter. Refused with NOT_READY until the learner is caught up
   * (its last replication round finished within an election timeout); answered with {@link ChangeDone} once committed.
   */
  public record PromoteLearner(String node, ActorRef<ChangeReply> replyTo) implements Command {}

  /**
   * Asks the leader to remove {@code node} (voter or learner). Removing the leader itself is allowed: it leads until
   * the change commits, then hands over and steps down.
   */
  public record RemoveServer(String node, ActorRef<ChangeReply> replyTo) implements Command {}

  /**
   * Asks the leader to hand leadership to the voter {@code node} (dissertation section 3.10): it brings the target up
   * to date, takes no proposals meanwhile (for at most an election timeout), then tells it to campaign at once.
   */
  public record TransferLeadership(String node, ActorRef<ChangeReply> replyTo) implements Command {}

  /** The outcome of a membership request. */
  public sealed interface ChangeReply extends CborSerializable {}

  /** The configuration entry at {@code index} is committed; {@code voters}/{@code learners} are in force. */
  public record ChangeDone(long index, Set<String> voters, Set<String> learners) implements ChangeReply {}

  /** Leadership went to {@code node}'s campaign (the old leader stepped down for it). */
  public record TransferDone(String node) implements ChangeReply {
    @JsonCreator
    public TransferDone(@JsonProperty("node") String node) {
      this.node = node;
    }
  }

  /** Why a membership request was refused; the HTTP layer maps each to a status (400, 409, 503, 504). */
  public enum RefusalCode {
    /** Impossible: unknown node, not a learner, the last voter. (400) */
    BAD_REQUEST,
    /** Another change or a leadership transfer is in progress: one at a time. (409) */
    CONFLICT,
    /** Not now: the leader's NO-OP is not committed, or the learner has not caught up. Retry shortly. (503) */
    NOT_READY,
    /** A leadership transfer did not complete within an election timeout; the old leader leads on. (504) */
    TIMEOUT
  }

  /** Certainly not done: refused for {@code code}, explained by {@code message}. */
  public record ChangeRejected(RefusalCode code, String message) implements ChangeReply {}

  // ---- diagnostics and life cycle ----------------------------------------------------------------------------------

  public record GetStatus(ActorRef<Status> replyTo) implements Command {
    @JsonCreator
    public GetStatus(@JsonProperty("replyTo") ActorRef<Status> replyTo) {
      this.replyTo = replyTo;
    }
  }

  /** What a replica reports about itself (for operators and tests). */
  public record Status(
      ReplicaId id,
      RoleName role,
      long term,
      String leader,
      long commitIndex,
      long lastApplied,
      long lastIndex,
      long lastTerm,
      Set<String> voters,
      long snapshotIndex,
      Set<String> learners,
      long configurationIndex,
      boolean changeInProgress,
      String transferTarget,
      boolean quiet)
      implements CborSerializable {}

  /** Asks for the whole log (diagnostics and tests; not for hot paths). */
  public record GetLog(ActorRef<LogContents> replyTo) implements Command {
    @JsonCreator
    public GetLog(@JsonProperty("replyTo") ActorRef<LogContents> replyTo) {
      this.replyTo = replyTo;
    }
  }

  public record LogContents(ReplicaId id, List<LogEntry> entries, long commitIndex) implements CborSerializable {}

  /**
   * Stops the replica, keeping its log: its node sends this once the group's leader reports a committed configuration
   * without this node, so a removed replica stops spending timers and memory (it may never learn of its removal
   * itself: the leader stops talking to it). If the group adds the node back, the leader's next message starts it.
   */
  public enum Retire implements Command {
    INSTANCE
  }

  /**
   * {@code node}'s beacons fell silent for an election timeout, or the cluster's failure detector finds it unreachable
   * (or it left): see {@link RaftCore#peerUnreachable}. Sent by the replica's own node, never remotely.
   */
  public record PeerUnreachable(String node) implements Command, NoSerializationVerificationNeeded {}
}
