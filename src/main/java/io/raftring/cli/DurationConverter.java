package io.raftring.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses 30s, 500ms, 2m, 1h, a bare number of seconds, or ISO-8601 (PT30S). */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return ofSeconds(Double.parseDouble(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return ofSeconds(60 * Double.parseDouble(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("h")) {
        return ofSeconds(3600 * Double.parseDouble(t.substring(0, t.length() - 1).trim()));
      }
      return ofSeconds(Double.parseDouble(t));
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + text + "' is not a duration (e.g. 30s, 500ms, 2m, PT30S)");
    }
  }

  private static Duration ofSeconds(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("bad seconds " + seconds);
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
