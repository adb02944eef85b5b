package io.raftring.kv;

/** A change of a group's lease table, made by a committed entry; the node's lessor follows them. */
public sealed interface LeaseEvent {

  /** A lease was granted in this group. */
  record Granted(LeaseRecord lease) implements LeaseEvent {}

  /** The lease was revoked or expired; its keys in this group are gone, those in other groups are being deleted. */
  record Revoked(long id) implements LeaseEvent {}

  /** A revoked lease's keys are gone from every group: the group forgot it. */
  record Forgotten(long id) implements LeaseEvent {}

  /** {@code node} now runs this group's lessor, in lessor epoch {@code epoch}. */
  record LessorChanged(String node, long epoch) implements LeaseEvent {}
}
