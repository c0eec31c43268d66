package dev.nova.core.util;

import java.time.Duration;
import java.util.Locale;

/**
 * The duration notation of Nova's options, action parameters and answers: {@code 500ms}, {@code
 * 2s}, {@code 5m}. Here, below the configuration, so that the JSON renderer and the action
 * parameters write durations the way the options do; {@code config.Durations} is its public face.
 */
public final class DurationText {
  private DurationText() {}

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

  /**
   * Parses {@code text} as {@link #parse} does and refuses a duration shorter than {@code min}.
   *
   * @throws IllegalArgumentException with a message that names the minimum
   */
  public static Duration parse(String text, Duration min) {
    String t = text == null ? null : Values.clip(text);
    Duration d = parse(t);
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException("'" + t + "' is shorter than the minimum " + format(min));
    }
    return d;
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
