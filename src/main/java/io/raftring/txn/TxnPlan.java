package io.raftring.txn;

import io.raftring.kv.KvLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction split by group: which group each compare and operation belongs to, each group's part, and the record
 * group (the group of the first key written, else of the first key). Refuses (BAD_REQUEST or TOO_LARGE, as a
 * {@link io.raftring.kv.KvValidationException}) what cannot run: too many operations or bytes, a key or value over
 * its limit, a range that spans groups, and in a transaction over several groups a range or a read of a key the
 * branch wrote before (both need the group's future state, which a prepare cannot read).
 */
record TxnPlan(TxnRequest request, List<String> compareGroups, List<String> successGroups,
    List<String> failureGroups, Map<String, TxnRequest> parts, String recordGroup) {

  static TxnPlan of(TxnRequest request, KeyRouting routing, KvLimits limits, TxnSettings settings) {
    if (request.operationCount() == 0) {
      throw Compare.badRequest("a transaction needs at least one compare or operation");
    }
    if (request.operationCount() > settings.maxOperations()) {
      throw Compare.badRequest("a transaction has at most " + settings.maxOperations()
          + " compares and operations, this one has " + request.operationCount());
    }
    long bytes = 0;
    for (Compare compare : request.compares()) {
      bytes += limits.validateKey(compare.key()).length();
      if (compare.target() == Compare.Target.VALUE) {
        bytes += limits.validateValue(compare.valueUnsafe()).length;
      }
    }
    for (List<TxnOp> branch : List.of(request.success(), request.failure())) {
      for (TxnOp op : branch) {
        bytes += op instanceof TxnOp.Range ? op.key().length() : limits.validateKey(op.key()).length();
        if (op instanceof TxnOp.Put put) {
          bytes += limits.validateValue(put.valueUnsafe()).length;
        }
      }
    }
    if (bytes > settings.maxBytes()) {
      throw new io.raftring.kv.KvValidationException(io.raftring.kv.KvErrorCode.TOO_LARGE,
          "a transaction holds at most " + settings.maxBytes() + " bytes of keys and values, this one " + bytes);
    }
    List<String> compareGroups = request.compares().stream().map(c -> routing.groupOf(c.key())).toList();
    List<String> successGroups = groupsOf(request.success(), routing);
    List<String> failureGroups = groupsOf(request.failure(), routing);
    Map<String, List<Compare>> compares = new LinkedHashMap<>();
    Map<String, List<TxnOp>> success = new LinkedHashMap<>();
    Map<String, List<TxnOp>> failure = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < request.compares().size(); i++) {
      add(order, compares, compareGroups.get(i), request.compares().get(i));
    }
    for (int i = 0; i < request.success().size(); i++) {
      add(order, success, successGroups.get(i), request.success().get(i));
    }
    for (int i = 0; i < request.failure().size(); i++) {
      add(order, failure, failureGroups.get(i), request.failure().get(i));
    }
    Map<String, TxnRequest> parts = new LinkedHashMap<>();
    for (String group : order) {
      parts.put(group, new TxnRequest(compares.getOrDefault(group, List.of()), success.getOrDefault(group, List.of()),
          failure.getOrDefault(group, List.of())));
    }
    if (parts.size() > 1) {
      boolean hasRange = request.success().stream().anyMatch(op -> op instanceof TxnOp.Range)
          || request.failure().stream().anyMatch(op -> op instanceof TxnOp.Range);
      if (hasRange) {
        throw Compare.badRequest("a range can be part of a transaction only when all its keys are in one group: give"
            + " the range's prefix and the other keys one hash tag, e.g. {tag}/... (this one spans groups "
            + parts.keySet() + ")");
      }
      if (request.readsItsOwnWrites()) {
        throw Compare.badRequest("a transaction over several groups cannot read a key its branch wrote before;"
            + " read it first, or give its keys one hash tag");
      }
    }
    String recordGroup = recordGroup(request, successGroups, failureGroups, order);
    return new TxnPlan(request, compareGroups, successGroups, failureGroups, parts, recordGroup);
  }

  private static List<String> groupsOf(List<TxnOp> ops, KeyRouting routing) {
    return ops.stream().map(op -> op instanceof TxnOp.Range range
        ? routing.groupOfPrefix(range.prefix()).orElseThrow(() -> Compare.badRequest("the range over prefix '"
            + range.prefix() + "' spans every group; in a transaction a range's prefix must hold a hash tag, e.g."
            + " {tag}/, so its keys are in one group"))
        : routing.groupOf(op.key())).toList();
  }

  private static <T> void add(List<String> order, Map<String, List<T>> byGroup, String group, T item) {
    if (!order.contains(group)) {
      order.add(group);
    }
    byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(item);
  }

  private static String recordGroup(TxnRequest request, List<String> successGroups, List<String> failureGroups,
      List<String> order) {
    for (int i = 0; i < request.success().size(); i++) {
      if (request.success().get(i).isWrite()) {
        return successGroups.get(i);
      }
    }
    for (int i = 0; i < request.failure().size(); i++) {
      if (request.failure().get(i).isWrite()) {
        return failureGroups.get(i);
      }
    }
    return order.get(0);
  }

  boolean twoPhase() {
    return parts.size() > 1;
  }

  List<String> groups() {
    return List.copyOf(parts.keySet());
  }

  /**
   * The results of the branch that ran, in its order, from each group's prepared results (in its part's order);
   * writes in a group whose revision is known get it.
   */
  List<OpResult> assemble(boolean succeeded, Map<String, List<OpResult>> resultsByGroup,
      Map<String, Long> revisionByGroup) {
    List<TxnOp> ops = request.branch(succeeded);
    List<String> groups = succeeded ? successGroups : failureGroups;
    Map<String, Integer> next = new LinkedHashMap<>();
    List<OpResult> results = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      String group = groups.get(i);
      int index = next.merge(group, 1, Integer::sum) - 1;
      OpResult result = resultsByGroup.get(group).get(index);
      Long revision = revisionByGroup.get(group);
      results.add(revision == null ? result : result.atRevision(revision));
    }
    return results;
  }
}
