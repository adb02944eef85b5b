package io.raftring.txn;

import io.raftring.kv.KeyOrder;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a transaction's compares and a branch's operations against a group's committed state, without changing it:
 * what the reads return and which writes the branch makes. The caller applies the writes (at once for a one-group
 * transaction, at commit for a prepared one). Pure: the same state and request give the same run everywhere.
 */
final class TxnExecution {

  /** What a transaction reads of a group's committed state. */
  interface KvView {
    Optional<KeyValue> get(String key);

    KvResult.RangePage range(KvQuery.Prefix query);

    long revision();
  }

  /** A branch run: each operation's result in order (writes with revision 0 until applied) and the writes. */
  record BranchRun(List<OpResult> results, List<KvCommand> writes) {
    BranchRun {
      results = List.copyOf(results);
      writes = List.copyOf(writes);
    }

    /** The results once the writes were applied at {@code revision}. */
    List<OpResult> appliedAt(long revision) {
      return results.stream().map(r -> r.atRevision(revision)).toList();
    }
  }

  private TxnExecution() {}

  static boolean comparesHold(List<Compare> compares, KvView view) {
    for (Compare compare : compares) {
      if (!compare.holdsFor(view.get(compare.key()).orElse(null))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code ops} in order. A read after a write of the same key in the branch sees that write, with the
   * revisions it will have once applied (the writes of a transaction take the next revision together).
   */
  static BranchRun run(List<TxnOp> ops, KvView view) {
    long nextRevision = view.revision() + 1;
    Map<String, Optional<KeyValue>> written = new HashMap<>();
    List<OpResult> results = new ArrayList<>(ops.size());
    List<KvCommand> writes = new ArrayList<>();
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put) {
        Optional<KeyValue> previous = view.get(put.key());
        results.add(new OpResult.PutResult(0, previous));
        writes.add(put.command());
        written.put(put.key(), Optional.of(previous
            .map(p -> new KeyValue(put.key(), put.valueUnsafe(), p.createRevision(), nextRevision, p.version() + 1))
            .orElseGet(() -> new KeyValue(put.key(), put.valueUnsafe(), nextRevision, nextRevision, 1))));
      } else if (op instanceof TxnOp.Delete delete) {
        results.add(new OpResult.DeleteResult(0, view.get(delete.key())));
        writes.add(delete.command());
        written.put(delete.key(), Optional.empty());
      } else if (op instanceof TxnOp.Get get) {
        Optional<KeyValue> seen = written.containsKey(get.key()) ? written.get(get.key()) : view.get(get.key());
        results.add(new OpResult.GetResult(seen));
      } else {
        results.add(range((TxnOp.Range) op, view, written));
      }
    }
    return new BranchRun(results, writes);
  }

  /** The committed page with the branch's earlier writes laid over it. */
  private static OpResult.RangeResult range(TxnOp.Range range, KvView view, Map<String, Optional<KeyValue>> written) {
    List<String> writtenHere = written.keySet().stream().filter(k -> k.startsWith(range.prefix())).toList();
    int fetch = Math.min(KvQuery.Range.MAX_LIMIT, range.limit() + writtenHere.size());
    KvResult.RangePage page = view.range(new KvQuery.Prefix(range.prefix(), fetch));
    TreeMap<String, KeyValue> merged = new TreeMap<>(KeyOrder.UTF8);
    page.keyValues().forEach(kv -> merged.put(kv.key(), kv));
    String lastFetched = page.keyValues().isEmpty() ? null : page.keyValues().get(page.keyValues().size() - 1).key();
    for (String key : writtenHere) {
      // Past the last fetched key, unfetched committed keys may come first: leave those writes to the next page.
      if (page.more() && lastFetched != null && KeyOrder.UTF8.compare(key, lastFetched) > 0) {
        continue;
      }
      written.get(key).ifPresentOrElse(kv -> merged.put(key, kv), () -> merged.remove(key));
    }
    List<KeyValue> keyValues = new ArrayList<>(merged.values());
    boolean more = page.more() || keyValues.size() > range.limit();
    return new OpResult.RangeResult(keyValues.subList(0, Math.min(range.limit(), keyValues.size())), more);
  }
}
