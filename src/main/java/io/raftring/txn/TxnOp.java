package io.raftring.txn;

import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import java.util.Arrays;
import java.util.Objects;

/** One operation of a transaction's branch: put, delete, get or a prefix range, as in etcd's Txn. */
public sealed interface TxnOp permits TxnOp.Put, TxnOp.Delete, TxnOp.Get, TxnOp.Range {

  /** The key it names; for a range, its prefix. */
  String key();

  default boolean isWrite() {
    return this instanceof Put || this instanceof Delete;
  }

  static Put put(String key, byte[] value) {
    return new Put(key, value);
  }

  static Delete delete(String key) {
    return new Delete(key);
  }

  static Get get(String key) {
    return new Get(key);
  }

  static Range range(String prefix, int limit) {
    return new Range(prefix, limit);
  }

  /** Sets {@code key} to {@code value}. */
  record Put(String key, byte[] value) implements TxnOp {
    public Put {
      requireKey(key);
      value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    byte[] valueUnsafe() {
      return value;
    }

    /** The write this becomes in the store. */
    KvCommand.Put command() {
      return new KvCommand.Put(key, value);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Put that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
      return "Put[" + key + ", " + value.length + " bytes]";
    }
  }

  /** Removes {@code key}; deleting an absent key is not an error and changes nothing. */
  record Delete(String key) implements TxnOp {
    public Delete {
      requireKey(key);
    }

    KvCommand.Delete command() {
      return new KvCommand.Delete(key);
    }
  }

  /** Reads {@code key}. */
  record Get(String key) implements TxnOp {
    public Get {
      requireKey(key);
    }
  }

  /** Reads up to {@code limit} keys starting with {@code prefix}, in key order. */
  record Range(String prefix, int limit) implements TxnOp {
    public Range {
      // KvQuery.Prefix holds the rules of prefixes and limits.
      limit = new KvQuery.Prefix(prefix, limit).limit();
    }

    @Override
    public String key() {
      return prefix;
    }

    KvQuery.Prefix query() {
      return new KvQuery.Prefix(prefix, limit);
    }
  }

  /** The key rules of the store (not empty, well-formed Unicode), which KvQuery.Get enforces. */
  static String requireKey(String key) {
    new KvQuery.Get(key);
    return key;
  }
}
