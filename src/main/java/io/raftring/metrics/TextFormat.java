package io.raftring.metrics;

/** Escaping and number rendering of the Prometheus text exposition format 0.0.4. */
final class TextFormat {

  private TextFormat() {}

  /** HELP text: backslash and line feed are escaped. */
  static void escapeHelp(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  /** Label values: backslash, double quote and line feed are escaped. */
  static void escapeLabelValue(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  /** A sample value as Go's ParseFloat reads it: +Inf, -Inf, NaN, integers without ".0". */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (v == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
