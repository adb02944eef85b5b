package io.raftring.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/** What a run sends: only puts, only reads, reads and puts mixed by a read ratio, or compare-and-sets. */
public enum Workload {
  PUT,
  GET,
  MIXED,
  CAS;

  /** The next operation for a client; {@code readRatio} matters only for {@link #MIXED}. */
  public OpKind next(SplittableRandom random, double readRatio) {
    return switch (this) {
      case PUT -> OpKind.PUT;
      case GET -> OpKind.GET;
      case CAS -> OpKind.CAS;
      case MIXED -> random.nextDouble() < readRatio ? OpKind.GET : OpKind.PUT;
    };
  }

  public static Workload parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown workload '" + text + "': put, get, mixed or cas");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
