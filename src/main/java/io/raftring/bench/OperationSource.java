package io.raftring.bench;

import java.util.SplittableRandom;

/** Draws the next operation: its kind from the workload, its key from the key distribution, a value from a pool. */
public final class OperationSource {

  /** One operation to send. */
  public record Op(OpKind kind, String key, Value value) {}

  private final Workload workload;
  private final double readRatio;
  private final KeyChooser keys;
  private final String keyPrefix;
  private final Value[] values;

  public OperationSource(Workload workload, double readRatio, KeyChooser keys, String keyPrefix, Value[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("at least one value is needed");
    }
    this.workload = workload;
    this.readRatio = readRatio;
    this.keys = keys;
    this.keyPrefix = keyPrefix;
    this.values = values;
  }

  public Op next(SplittableRandom random) {
    OpKind kind = workload.next(random, readRatio);
    String key = keyName(keyPrefix, keys.next(random));
    Value value = kind == OpKind.GET ? null : values[random.nextInt(values.length)];
    return new Op(kind, key, value);
  }

  public Value value(int index) {
    return values[Math.floorMod(index, values.length)];
  }

  public int keyCount() {
    return keys.keyCount();
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  /** {@code prefix} followed by the index zero-padded to 8 digits: bench-00000042. */
  public static String keyName(String prefix, int index) {
    String digits = Integer.toString(index);
    StringBuilder name = new StringBuilder(prefix.length() + Math.max(8, digits.length())).append(prefix);
    for (int i = digits.length(); i < 8; i++) {
      name.append('0');
    }
    return name.append(digits).toString();
  }
}
