package dev.nova.core.util;

import java.util.Locale;

/**
 * The value parsers options and action parameters share. Each throws {@link
 * IllegalArgumentException} with a message a user can act on, quoting at most 64 characters of what
 * was given.
 */
public final class Values {
  private Values() {}

  public static int integer(String text, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + clip(text) + "' is not a whole number");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
    }
    return v;
  }

  /** A decimal number in {@code [min, max]}, such as a share of the heap. */
  public static double decimal(String text, double min, double max) {
    double v;
    try {
      v = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + clip(text) + "' is not a number");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(text.trim() + " is outside " + min + ".." + max);
    }
    return v;
  }

  public static boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + clip(text) + "' is not true or false");
    };
  }

  /** At most 64 characters of {@code text}, for quoting user input in a message. */
  public static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
