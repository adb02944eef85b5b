package io.raftring.txn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A transaction as a client states it: compares, the operations to run when every compare holds ({@code success})
 * and those to run otherwise ({@code failure}). Like etcd, a branch may write a key at most once; unlike etcd, a
 * branch's writes and reads may span groups (then it commits in two phases).
 */
public record TxnRequest(List<Compare> compares, List<TxnOp> success, List<TxnOp> failure) {

  public TxnRequest {
    compares = List.copyOf(compares);
    success = List.copyOf(success);
    failure = List.copyOf(failure);
    requireEachKeyWrittenOnce(success, "success");
    requireEachKeyWrittenOnce(failure, "failure");
  }

  private static void requireEachKeyWrittenOnce(List<TxnOp> ops, String branch) {
    Set<String> written = new java.util.HashSet<>();
    for (TxnOp op : ops) {
      if (op.isWrite() && !written.add(op.key())) {
        throw Compare.badRequest("the " + branch + " branch writes key '" + op.key()
            + "' more than once; a transaction may write a key once");
      }
    }
  }

  /** No put or delete in either branch. */
  public boolean isReadOnly() {
    return success.stream().noneMatch(TxnOp::isWrite) && failure.stream().noneMatch(TxnOp::isWrite);
  }

  /** Compares, then operations of both branches. */
  public int operationCount() {
    return compares.size() + success.size() + failure.size();
  }

  /** Every key or range prefix the transaction names, in the order it names them. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    compares.forEach(c -> keys.add(c.key()));
    success.forEach(op -> keys.add(op.key()));
    failure.forEach(op -> keys.add(op.key()));
    return keys;
  }

  /** Keys either branch writes. */
  public Set<String> writtenKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (List<TxnOp> branch : List.of(success, failure)) {
      branch.stream().filter(TxnOp::isWrite).forEach(op -> keys.add(op.key()));
    }
    return keys;
  }

  /** Whether a branch reads, after writing it, a key it wrote (or a range over it). */
  public boolean readsItsOwnWrites() {
    for (List<TxnOp> branch : List.of(success, failure)) {
      List<String> written = new ArrayList<>();
      for (TxnOp op : branch) {
        if (op.isWrite()) {
          written.add(op.key());
        } else if (op instanceof TxnOp.Range range) {
          if (written.stream().anyMatch(k -> k.startsWith(range.prefix()))) {
            return true;
          }
        } else if (written.contains(op.key())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The operations of the branch that ran. */
  public List<TxnOp> branch(boolean succeeded) {
    return succeeded ? success : failure;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects compares and operations; {@link #build} checks them. */
  public static final class Builder {
    private final List<Compare> compares = new ArrayList<>();
    private final List<TxnOp> success = new ArrayList<>();
    private final List<TxnOp> failure = new ArrayList<>();

    public Builder when(Compare... conditions) {
      compares.addAll(List.of(conditions));
      return this;
    }

    public Builder then(TxnOp... ops) {
      success.addAll(List.of(ops));
      return this;
    }

    public Builder otherwise(TxnOp... ops) {
      failure.addAll(List.of(ops));
      return this;
    }

    public TxnRequest build() {
      return new TxnRequest(compares, success, failure);
    }
  }

  @Override
  public String toString() {
    return "Txn[if " + compares + " then " + success + " else " + failure + "]";
  }
}
