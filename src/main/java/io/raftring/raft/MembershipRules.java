package io.raftring.raft;

/**
 * Whether a leader may make a single-server configuration change now (dissertation section 4.1): only once its own
 * term's NO-OP is committed (so no change of an earlier term is still uncommitted in its log, section 4.1's bug fix),
 * only while no other change is uncommitted, and only a change that makes sense for the current configuration.
 */
public final class MembershipRules {

  private MembershipRules() {}

  /** The kinds of single-server change. */
  public enum Change {
    ADD_LEARNER,
    PROMOTE_LEARNER,
    REMOVE_SERVER
  }

  /** Why a change was refused; {@code null} from {@link #check} means it may go ahead. */
  public record Refusal(ReplicaProtocol.RefusalCode code, String message) {}

  /**
   * Checks {@code change} of {@code node} against {@code current}; {@code noopCommitted} says this leader's NO-OP is
   * committed, {@code changePending} that a configuration entry is in the log beyond the commit index,
   * {@code transferring} that a leadership transfer is in progress. Returns null when the change may be appended, or
   * why not. A change that is already in effect is not refused here; see {@link #alreadyInEffect}.
   */
  public static Refusal check(
      Change change, String node, Configuration current, boolean noopCommitted, boolean changePending,
      boolean transferring) {
    if (node == null || node.isEmpty() || node.contains("@") || node.contains("|") || node.contains(",")
        || node.contains(";") || node.contains("=")) {
      return new Refusal(ReplicaProtocol.RefusalCode.BAD_REQUEST, "not a node name: " + node);
    }
    if (!noopCommitted) {
      return new Refusal(ReplicaProtocol.RefusalCode.NOT_READY,
          "the leader's NO-OP of its term is not committed yet; try again shortly");
    }
    if (changePending) {
      return new Refusal(ReplicaProtocol.RefusalCode.CONFLICT,
          "another configuration change is in progress (not committed yet); one change at a time");
    }
    if (transferring) {
      return new Refusal(ReplicaProtocol.RefusalCode.CONFLICT, "a leadership transfer is in progress");
    }
    if (alreadyInEffect(change, node, current)) {
      return null;
    }
    return switch (change) {
      case ADD_LEARNER -> current.isVoter(node)
          ? new Refusal(ReplicaProtocol.RefusalCode.BAD_REQUEST, node + " is already a voter")
          : null;
      case PROMOTE_LEARNER -> current.isLearner(node)
          ? null
          : new Refusal(ReplicaProtocol.RefusalCode.BAD_REQUEST, node + " is not a learner of this group ("
              + current + "); add it as a learner first");
      case REMOVE_SERVER -> {
        if (!current.isMember(node)) {
          yield new Refusal(ReplicaProtocol.RefusalCode.BAD_REQUEST, node + " is not a member of this group ("
              + current + ")");
        }
        if (current.isVoter(node) && current.voters().size() == 1) {
          yield new Refusal(ReplicaProtocol.RefusalCode.BAD_REQUEST, "cannot remove " + node
              + ", the last voter of the group");
        }
        yield null;
      }
    };
  }

  /** Whether {@code current} already reflects the change, so nothing needs appending. */
  public static boolean alreadyInEffect(Change change, String node, Configuration current) {
    return switch (change) {
      case ADD_LEARNER -> current.isLearner(node);
      case PROMOTE_LEARNER -> current.isVoter(node);
      case REMOVE_SERVER -> !current.isMember(node);
    };
  }

  /** The configuration after {@code change}. */
  public static Configuration apply(Change change, String node, Configuration current) {
    return switch (change) {
      case ADD_LEARNER -> current.withLearner(node);
      case PROMOTE_LEARNER -> current.promoted(node);
      case REMOVE_SERVER -> current.without(node);
    };
  }
}
