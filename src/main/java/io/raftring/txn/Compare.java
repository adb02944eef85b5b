package io.raftring.txn;

import io.raftring.kv.KeyValue;
import io.raftring.kv.KvErrorCode;
import io.raftring.kv.KvValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One condition of a transaction, on one key, as etcd's Txn has them: the key's value, version, create_revision or
 * mod_revision compared with a given one by =, !=, &lt; or &gt;, or whether the key exists. A transaction runs its
 * success branch when all its compares hold.
 *
 * <p>An absent key has version, create_revision and mod_revision 0, and a value compare on it never holds (etcd's
 * rule: there is no value to compare). Values compare as unsigned bytes, lexicographically.
 *
 * @param number for {@link Target#VALUE} unused (0); for {@link Target#EXISTS} 1 (exists) or 0 (absent); else the
 *               revision or version to compare with
 */
public record Compare(String key, Target target, Operator operator, byte[] value, long number) {

  /** What of the key is compared. The declaration order is TxnCodec's format: add new ones at the end. */
  public enum Target {
    VALUE, VERSION, CREATE_REVISION, MOD_REVISION, EXISTS;

    /** The JSON name: value, version, create_revision, mod_revision, exists. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Target parse(String text) {
      for (Target t : values()) {
        if (t.label().equals(text)) {
          return t;
        }
      }
      throw badRequest("unknown compare target '" + text
          + "'; use value, version, create_revision, mod_revision or exists");
    }
  }

  /** How: =, !=, &lt;, &gt;. The declaration order is TxnCodec's format: add new ones at the end. */
  public enum Operator {
    EQUAL("="), NOT_EQUAL("!="), LESS("<"), GREATER(">");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public static Operator parse(String text) {
      for (Operator o : values()) {
        if (o.symbol.equals(text)) {
          return o;
        }
      }
      throw badRequest("unknown compare op '" + text + "'; use =, !=, < or >");
    }

    boolean holdsFor(int comparison) {
      return switch (this) {
        case EQUAL -> comparison == 0;
        case NOT_EQUAL -> comparison != 0;
        case LESS -> comparison < 0;
        case GREATER -> comparison > 0;
      };
    }
  }

  public Compare {
    TxnOp.requireKey(key);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(operator, "operator");
    if (target == Target.VALUE) {
      value = Objects.requireNonNull(value, "value").clone();
      number = 0;
    } else {
      value = null;
      if (number < 0) {
        throw badRequest("compare of " + target.label() + " on '" + key + "' needs a number 0 or more, was " + number);
      }
    }
    if (target == Target.EXISTS) {
      if (operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
        throw badRequest("exists compares only with = or !=");
      }
      if (number > 1) {
        throw badRequest("exists compares with true or false");
      }
    }
  }

  public static Compare value(String key, Operator operator, byte[] value) {
    return new Compare(key, Target.VALUE, operator, value, 0);
  }

  public static Compare version(String key, Operator operator, long version) {
    return new Compare(key, Target.VERSION, operator, null, version);
  }

  public static Compare createRevision(String key, Operator operator, long revision) {
    return new Compare(key, Target.CREATE_REVISION, operator, null, revision);
  }

  public static Compare modRevision(String key, Operator operator, long revision) {
    return new Compare(key, Target.MOD_REVISION, operator, null, revision);
  }

  public static Compare exists(String key, boolean exists) {
    return new Compare(key, Target.EXISTS, Operator.EQUAL, null, exists ? 1 : 0);
  }

  /** Whether the condition holds for the key's committed entry ({@code null}: the key is absent). */
  public boolean holdsFor(KeyValue currentOrNull) {
    int comparison = switch (target) {
      case VALUE -> {
        if (currentOrNull == null) {
          yield Integer.MIN_VALUE; // marker: no value to compare
        }
        yield Integer.signum(Arrays.compareUnsigned(currentOrNull.value(), value));
      }
      case VERSION -> Long.compare(currentOrNull == null ? 0 : currentOrNull.version(), number);
      case CREATE_REVISION -> Long.compare(currentOrNull == null ? 0 : currentOrNull.createRevision(), number);
      case MOD_REVISION -> Long.compare(currentOrNull == null ? 0 : currentOrNull.modRevision(), number);
      case EXISTS -> Long.compare(currentOrNull == null ? 0 : 1, number);
    };
    return comparison != Integer.MIN_VALUE && operator.holdsFor(comparison);
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  byte[] valueUnsafe() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Compare that && key.equals(that.key) && target == that.target
        && operator == that.operator && Arrays.equals(value, that.value) && number == that.number;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, target, operator, Arrays.hashCode(value), number);
  }

  @Override
  public String toString() {
    String expected = target == Target.VALUE ? value.length + " bytes"
        : target == Target.EXISTS ? Boolean.toString(number == 1) : Long.toString(number);
    return target.label() + "(" + key + ") " + operator.symbol() + " " + expected;
  }

  static KvValidationException badRequest(String message) {
    return new KvValidationException(KvErrorCode.BAD_REQUEST, message);
  }
}
