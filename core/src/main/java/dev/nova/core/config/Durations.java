package dev.nova.core.config;

import java.time.Duration;
import java.util.Locale;

/** Parses and prints the durations Nova's options use: {@code 500ms}, {@code 2s}, {@code 5m}. */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code <digits><unit>} where unit is one of {@code ms, s, m, h, d}.
   *
   * @throws IllegalArgumentException with a message that shows the accepted form
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a duration is required, like 500ms, 2s, 5m or 1h");
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i == s.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a whole number and a unit: 500ms, 2s, 5m, 1h");
    }
    if (i > 12) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
    long amount = Long.parseLong(s.substring(0, i));
    String unit = s.substring(i);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default ->
          throw new IllegalArgumentException(
              "'" + text + "' has unknown unit '" + unit + "'; use ms, s, m, h or d");
    };
  }

  /** The shortest exact form of {@code d} in the same notation, e.g. {@code 90s}, {@code 5m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
