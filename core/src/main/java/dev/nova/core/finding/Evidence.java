package dev.nova.core.finding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finding rests on: named numbers, words, stacks and nested groups, in the order added.
 *
 * <p>Values are limited to what renders as JSON: {@link Number}, {@link String}, {@link Boolean},
 * lists of those, nested {@link Evidence}, and stacks (lists of formatted frames). Evidence must
 * never carry SQL literals, bind values, query values, header values, passwords or tokens: callers
 * redact before they put.
 */
public final class Evidence {
  private static final Evidence EMPTY = new Evidence(Map.of());

  private final Map<String, Object> values;

  private Evidence(Map<String, Object> values) {
    this.values = values;
  }

  public static Evidence empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The values in insertion order; stacks are {@code List<String>}. */
  public Map<String, Object> values() {
    return values;
  }

  public Object get(String name) {
    return values.get(name);
  }

  /** A number by name, or {@code null}. */
  public Number number(String name) {
    Object v = values.get(name);
    return v instanceof Number n ? n : null;
  }

  /** This evidence with one more nested member (or {@code name} replaced), last. */
  public Evidence with(String name, Evidence nested) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(values);
    copy.remove(name);
    copy.put(name, nested);
    return new Evidence(java.util.Collections.unmodifiableMap(copy));
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Builds one {@link Evidence}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Builder put(String name, Number value) {
      values.put(name, value);
      return this;
    }

    public Builder put(String name, String value) {
      values.put(name, value);
      return this;
    }

    public Builder put(String name, boolean value) {
      values.put(name, value);
      return this;
    }

    public Builder put(String name, Evidence nested) {
      values.put(name, nested);
      return this;
    }

    /** A list of numbers, strings, booleans or nested evidence. */
    public Builder list(String name, List<?> items) {
      for (Object o : items) {
        if (!(o instanceof Number
            || o instanceof String
            || o instanceof Boolean
            || o instanceof Evidence)) {
          throw new IllegalArgumentException(
              "evidence list '" + name + "' holds a " + o.getClass().getName());
        }
      }
      values.put(name, Collections.unmodifiableList(new ArrayList<>(items)));
      return this;
    }

    /** A stack, as formatted frames, at most {@code maxDepth} deep. */
    public Builder stack(String name, StackTraceElement[] trace, int maxDepth) {
      values.put(name, List.copyOf(StackFrames.format(trace, maxDepth)));
      return this;
    }

    public Evidence build() {
      return new Evidence(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
