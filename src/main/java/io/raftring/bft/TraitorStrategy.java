package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a traitor lies. The same strategy applies to every traitor of a run. What each one means per algorithm:
 *
 * <ul>
 *   <li>{@code always-opposite}: OM: sends the opposite of what a loyal general would. SM: a traitor commander signs
 *       the opposite order; a traitor lieutenant flips the order it relays (its signature chain then fails).
 *   <li>{@code random}: every message's order is a coin flip, seeded by the run's seed, sender, receiver and path.
 *   <li>{@code two-faced}: different orders to different receivers. OM: the honest order to even-numbered receivers,
 *       the opposite to odd ones. SM: a traitor commander validly signs attack for even receivers and retreat for odd
 *       ones (or the reverse, following its order); a traitor lieutenant relays attack only to even receivers and
 *       retreat only to odd ones, all with valid signatures.
 *   <li>{@code silent}: sends nothing at all (receivers fall back to RETREAT).
 *   <li>{@code forging}: OM (no signatures): sends messages in another general's name with the opposite order; the
 *       receiver knows who really sent it (assumption A2) and drops them. SM: tampers with the orders it relays and
 *       invents orders with a forged commander signature; a traitor commander tampers with the order after signing
 *       it for odd receivers. Every forged order fails verification and is rejected.
 * </ul>
 */
public enum TraitorStrategy {
  ALWAYS_OPPOSITE("always-opposite"),
  RANDOM("random"),
  TWO_FACED("two-faced"),
  SILENT("silent"),
  FORGING("forging");

  private final String wireName;

  TraitorStrategy(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(TraitorStrategy::wireName).collect(Collectors.toList());
  }

  public static TraitorStrategy parse(String text) {
    if (text != null) {
      String t = text.trim().replace('_', '-');
      for (TraitorStrategy s : values()) {
        if (s.wireName.equalsIgnoreCase(t)) return s;
      }
    }
    throw new BftRequestException(
        "unknown strategy '" + text + "' (expected one of " + String.join(", ", wireNames()) + ")");
  }
}
