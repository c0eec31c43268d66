package dev.nova.core.config;

import dev.nova.core.util.Values;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed option: its key, its default, how its text is parsed and checked, and what it means.
 *
 * <p>The same key is read as an agent argument ({@code key=value}), as the system property {@code
 * nova.<key>} and as the environment variable {@code NOVA_<KEY>} (dots become underscores).
 *
 * @param <T> the parsed type
 */
public final class Option<T> {
  private final String key;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final Function<T, String> printer;
  private final String description;
  private final boolean secret;

  private Option(
      String key,
      T defaultValue,
      Function<String, T> parser,
      Function<T, String> printer,
      String description,
      boolean secret) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.printer = printer;
    this.description = description;
    this.secret = secret;
  }

  public static Option<Integer> integer(String key, int def, int min, int max, String description) {
    return new Option<>(
        key, def, text -> Values.integer(text, min, max), String::valueOf, description, false);
  }

  public static Option<Duration> duration(
      String key, String def, Duration min, String description) {
    return new Option<>(
        key,
        Durations.parse(def),
        text -> Durations.parse(text, min),
        Durations::format,
        description,
        false);
  }

  /** A duration of at least {@code min}, or {@code none} (then {@link Duration#ZERO}). */
  public static Option<Duration> durationOrNone(
      String key, String def, Duration min, String description) {
    Function<String, Duration> parse =
        text -> "none".equals(text.trim()) ? Duration.ZERO : Durations.parse(text, min);
    return new Option<>(
        key,
        parse.apply(def),
        parse,
        d -> d.isZero() ? "none" : Durations.format(d),
        description,
        false);
  }

  /** A decimal number in {@code [min, max]}, such as a share of the heap. */
  public static Option<Double> decimal(
      String key, double def, double min, double max, String description) {
    return new Option<>(
        key, def, text -> Values.decimal(text, min, max), String::valueOf, description, false);
  }

  public static Option<Boolean> bool(String key, boolean def, String description) {
    return new Option<>(key, def, Values::bool, String::valueOf, description, false);
  }

  public static Option<String> text(String key, String def, String description) {
    return new Option<>(key, def, Option::nonBlank, s -> s, description, false);
  }

  /** One of {@code choices}, in lower case. */
  public static Option<String> choice(
      String key, String def, List<String> choices, String description) {
    return new Option<>(
        key,
        def,
        text -> {
          String v = text.trim().toLowerCase(java.util.Locale.ROOT);
          if (!choices.contains(v)) {
            throw new IllegalArgumentException(
                "'" + Values.clip(text) + "' is not one of " + String.join(", ", choices));
          }
          return v;
        },
        s -> s,
        description,
        false);
  }

  /**
   * Base URLs separated by {@code ;}, each {@code http} or {@code https} with a host and no query;
   * any that is not makes the whole value a problem (reported, the default kept).
   */
  public static Option<List<java.net.URI>> urls(String key, String description) {
    return new Option<>(
        key,
        List.of(),
        text -> {
          List<java.net.URI> out = new java.util.ArrayList<>();
          for (String part : nonBlank(text).split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
              continue;
            }
            java.net.URI u;
            try {
              u = new java.net.URI(p);
            } catch (java.net.URISyntaxException e) {
              throw new IllegalArgumentException("'" + Values.clip(p) + "' is not a URL");
            }
            if (u.getScheme() == null
                || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null
                || u.getRawQuery() != null
                || u.getRawUserInfo() != null) {
              throw new IllegalArgumentException(
                  "'"
                      + Values.clip(p)
                      + "' is not an http(s) base URL with a host (and no query or user-info)");
            }
            out.add(u);
          }
          if (out.isEmpty()) {
            throw new IllegalArgumentException("no URL given");
          }
          return List.copyOf(out);
        },
        l -> String.join(";", l.stream().map(java.net.URI::toString).toList()),
        description,
        false);
  }

  /** A secret: never printed, only said to be set. */
  public static Option<String> secret(String key, String description) {
    return new Option<>(key, null, Option::nonBlank, s -> "(set)", description, true);
  }

  public static Option<Path> path(String key, Path def, String description) {
    return new Option<>(
        key,
        def,
        text -> {
          try {
            return Path.of(nonBlank(text));
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid path");
          }
        },
        Path::toString,
        description,
        false);
  }

  private static String nonBlank(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("the value is empty");
    }
    return t;
  }

  public String key() {
    return key;
  }

  /** The default, or {@code null} where the option has none. */
  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean secret() {
    return secret;
  }

  /** {@code nova.<key>}. */
  public String propertyName() {
    return "nova." + key;
  }

  /** {@code NOVA_<KEY>}: dots become underscores, upper case. */
  public String environmentName() {
    return "NOVA_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public T parse(String text) {
    return Objects.requireNonNull(parser.apply(text));
  }

  /** How a value of this option is shown in the report: secrets are only said to be set. */
  public String print(T value) {
    return value == null ? "(none)" : printer.apply(value);
  }

  @Override
  public String toString() {
    return key;
  }
}
