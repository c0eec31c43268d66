package dev.nova.core.config;

import dev.nova.core.util.DurationText;
import java.time.Duration;

/** Parses and prints the durations Nova's options use: {@code 500ms}, {@code 2s}, {@code 5m}. */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code <digits><unit>} where unit is one of {@code ms, s, m, h, d}.
   *
   * @throws IllegalArgumentException with a message that shows the accepted form
   */
  public static Duration parse(String text) {
    return DurationText.parse(text);
  }

  /**
   * Parses {@code text} as {@link #parse} does and refuses a duration shorter than {@code min}.
   *
   * @throws IllegalArgumentException with a message that names the minimum
   */
  public static Duration parse(String text, Duration min) {
    return DurationText.parse(text, min);
  }

  /** The shortest exact form of {@code d} in the same notation, e.g. {@code 90s}, {@code 5m}. */
  public static String format(Duration d) {
    return DurationText.format(d);
  }
}
