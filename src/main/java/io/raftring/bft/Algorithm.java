package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two solutions of Lamport, Shostak and Pease (1982). */
public enum Algorithm {
  /** OM(m): oral messages; needs n >= 3m+1. */
  OM,
  /** SM(m): signed messages; tolerates any number of traitors. */
  SM;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Algorithm parse(String text) {
    if (text != null) {
      for (Algorithm a : values()) {
        if (a.wireName().equalsIgnoreCase(text.trim())) return a;
      }
    }
    throw new BftRequestException("unknown algorithm '" + text + "' (expected om or sm)");
  }
}
