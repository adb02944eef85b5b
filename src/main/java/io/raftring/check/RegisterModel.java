package io.raftring.check;

/**
 * The sequential specification the store must appear to follow, per key: a register that may be absent. Values are
 * interned to ints by {@link KeyHistory} so a search step costs a few comparisons; {@link #ABSENT} is the key's
 * starting state.
 */
final class RegisterModel {

  static final int ABSENT = 0;
  /** The operation cannot take effect in this state. */
  static final int ILLEGAL = -1;

  private RegisterModel() {}

  /** The state after a cas refused on its condition, which it leaves as it was: legal only where it differs. */
  static int refusedCas(int state, int expected) {
    return state != expected ? state : ILLEGAL;
  }

  /** The state after {@code f} takes effect in {@code state}, or {@link #ILLEGAL}. */
  static int step(int state, OpKind f, int expected, int value) {
    return switch (f) {
      case READ -> state == value ? state : ILLEGAL;
      case WRITE -> value;
      case CAS -> state == expected ? value : ILLEGAL;
      case DELETE -> ABSENT;
    };
  }
}
