package io.raftring.raft;

/** The RequestVote rules of sections 5.2 and 5.4.1, free of actors so they can be tested alone. */
public final class VoteRules {

  private VoteRules() {}

  /**
   * Section 5.4.1: a log is at least as up-to-date as another if its last term is higher, or the last terms are equal
   * and it is at least as long.
   */
  public static boolean isAtLeastAsUpToDate(
      long candidateLastTerm, long candidateLastIndex, long voterLastTerm, long voterLastIndex) {
    if (candidateLastTerm != voterLastTerm) {
      return candidateLastTerm > voterLastTerm;
    }
    return candidateLastIndex >= voterLastIndex;
  }

  /**
   * Whether a voter whose current term is {@code currentTerm} (after adopting the request's term if higher) and who
   * voted for {@code votedFor} in it (null: nobody) grants a vote: one vote per term, first come first served, and never
   * to a candidate whose log is less complete.
   */
  public static boolean grantsVote(
      long currentTerm,
      String votedFor,
      long requestTerm,
      String candidate,
      long candidateLastTerm,
      long candidateLastIndex,
      long voterLastTerm,
      long voterLastIndex) {
    if (requestTerm < currentTerm) {
      return false;
    }
    boolean freeToVote = requestTerm > currentTerm || votedFor == null || votedFor.equals(candidate);
    return freeToVote
        && isAtLeastAsUpToDate(candidateLastTerm, candidateLastIndex, voterLastTerm, voterLastIndex);
  }

  /**
   * Pre-vote (dissertation section 9.6): would this voter vote for the candidate in a real election at
   * {@code requestTerm}? Nothing is recorded, and a voter that still hears from a leader refuses.
   */
  public static boolean grantsPreVote(
      long currentTerm,
      boolean hearsFromLeader,
      long requestTerm,
      long candidateLastTerm,
      long candidateLastIndex,
      long voterLastTerm,
      long voterLastIndex) {
    return requestTerm > currentTerm
        && !hearsFromLeader
        && isAtLeastAsUpToDate(candidateLastTerm, candidateLastIndex, voterLastTerm, voterLastIndex);
  }
}
