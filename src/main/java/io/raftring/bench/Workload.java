package io.raftring.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a run sends: only puts, only reads, reads and puts mixed by a read ratio, compare-and-sets, or transfers (each
 * one transaction putting two keys, in one group or two: {@code --txn-keys}).
 */
public enum Workload {
  PUT,
  GET,
  MIXED,
  CAS,
  TXN_TRANSFER;

  /** The next operation for a client; {@code readRatio} matters only for {@link #MIXED}. */
  public OpKind next(SplittableRandom random, double readRatio) {
    return switch (this) {
      case PUT -> OpKind.PUT;
      case GET -> OpKind.GET;
      case CAS -> OpKind.CAS;
      case TXN_TRANSFER -> OpKind.TXN_TRANSFER;
      case MIXED -> random.nextDouble() < readRatio ? OpKind.GET : OpKind.PUT;
    };
  }

  public static Workload parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown workload '" + text + "': put, get, mixed, cas or txn-transfer");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
