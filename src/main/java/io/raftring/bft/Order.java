package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two orders a general can give. RETREAT is the default: what a lieutenant does when it hears nothing. */
public enum Order {
  ATTACK,
  RETREAT;

  public static final Order DEFAULT = RETREAT;

  public Order opposite() {
    return this == ATTACK ? RETREAT : ATTACK;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses "attack" / "retreat" (any case). */
  public static Order parse(String text) {
    if (text != null) {
      for (Order o : values()) {
        if (o.wireName().equalsIgnoreCase(text.trim())) return o;
      }
    }
    throw new BftRequestException("unknown order '" + text + "' (expected attack or retreat)");
  }
}
