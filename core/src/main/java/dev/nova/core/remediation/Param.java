package dev.nova.core.remediation;

import dev.nova.core.util.DurationText;
import dev.nova.core.util.Values;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * One typed action parameter. Parsing and checking happen before the action runs: a value that does
 * not fit answers 400 with the message, and nothing is done.
 *
 * <p>Why this is not {@link dev.nova.core.config.Option}: the two share every parser ({@link
 * Values}, {@link DurationText}) but not their lives. An option is read once at start from three
 * sources (argument, {@code nova.*} property, {@code NOVA_*} variable) under a dotted key, may be a
 * secret, and falls back to its default with a reported problem; a parameter is read per request
 * from one query string under a camelCase name, may be required, is described to the page with a
 * type, and a bad one refuses the request with 400. One class would carry both sets of rules, each
 * meaningless for the other half of its uses.
 *
 * @param <T> the parsed type
 */
public final class Param<T> {
  private final String name;
  private final String type;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final String description;
  private final boolean required;

  private Param(
      String name, String type, T defaultValue, Function<String, T> parser, String description) {
    this(name, type, defaultValue, parser, description, defaultValue == null);
  }

  private Param(
      String name,
      String type,
      T defaultValue,
      Function<String, T> parser,
      String description,
      boolean required) {
    if (!name.matches("[a-z][A-Za-z0-9]*")) {
      throw new IllegalArgumentException("parameter names are camelCase words: " + name);
    }
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.description = description;
    this.required = required;
  }

  /** The same parameter, optional with no default: absent reads as null. */
  public Param<T> optional() {
    return new Param<>(name, type, null, parser, description, false);
  }

  /** An integer in {@code [min, max]}; {@code def} null makes it required. */
  public static Param<Integer> integer(
      String name, Integer def, int min, int max, String description) {
    return new Param<>(
        name, "integer " + min + ".." + max, def, t -> Values.integer(t, min, max), description);
  }

  /** A duration like {@code 30s} of at least {@code min}; {@code def} null makes it required. */
  public static Param<Duration> duration(
      String name, Duration def, Duration min, String description) {
    return new Param<>(
        name, "duration (500ms, 30s, 5m)", def, t -> DurationText.parse(t, min), description);
  }

  /** A fraction in {@code [0, 1]}. */
  public static Param<Double> fraction(String name, Double def, String description) {
    return new Param<>(
        name, "fraction 0..1", def, text -> Values.decimal(text, 0.0, 1.0), description);
  }

  public static Param<Boolean> bool(String name, boolean def, String description) {
    return new Param<>(name, "true|false", def, Values::bool, description);
  }

  /**
   * A name Nova itself tracks (a pool, a cache): letters, digits, space and {@code -_.:@}, at most
   * 128 characters. Whether it exists is the action's to check.
   */
  public static Param<String> name(String name, String def, String description) {
    return new Param<>(
        name,
        "name",
        def,
        text -> {
          if (!text.matches("[A-Za-z0-9_.:@ \\-]{1,128}")) {
            throw new IllegalArgumentException(
                "'" + clip(text) + "' is not a name (letters, digits, space, - _ . : @)");
          }
          return text;
        },
        description);
  }

  /** A route template as Nova reports it ({@code /api/v1/streams/{id}/ws}). */
  public static Param<String> route(String name, String description) {
    return new Param<>(
        name,
        "route",
        null,
        text -> {
          if (!text.matches("/[A-Za-z0-9_.~{}/\\-]{0,255}")) {
            throw new IllegalArgumentException(
                "'" + clip(text) + "' is not a route (a path such as /api/v1/streams/{id}/ws)");
          }
          return text;
        },
        description);
  }

  /** One of a closed set of words. */
  public static Param<String> oneOf(String name, String def, Set<String> allowed, String desc) {
    return new Param<>(
        name,
        "one of " + allowed,
        def,
        text -> {
          if (!allowed.contains(text)) {
            throw new IllegalArgumentException("'" + clip(text) + "' is not one of " + allowed);
          }
          return text;
        },
        desc);
  }

  static String clip(String text) {
    return Values.clip(text);
  }

  public String name() {
    return name;
  }

  public String type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /**
   * A value as the options and the request write it: a duration as {@code 30s}, not {@code PT30S}.
   */
  public static String print(Object value) {
    return value instanceof Duration d ? DurationText.format(d) : String.valueOf(value);
  }

  public boolean required() {
    return required;
  }

  public String description() {
    return description;
  }

  T parse(String text) {
    return parser.apply(text);
  }
}
