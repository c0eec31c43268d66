package dev.nova.core.history;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sample as the ring keeps it: its names in one array and its figures in another, nested maps
 * (routes, pools, close codes) the same way, instead of maps of boxed numbers. A name array equal
 * to the previous sample's is that array, so an hour of samples holds each shape once. A missing
 * figure ({@code null}) is kept as NaN; whole numbers come back as whole numbers.
 *
 * @param keys the names, in the map's order
 * @param values each name's figure (NaN: none, or a nested map)
 * @param nested each name's nested map, or null
 * @param integers a bit per name (the first 64) whose figure was a whole-number type
 */
record Packed(String[] keys, double[] values, Packed[] nested, long integers) {

  /** Packs {@code m} (numbers, nulls and maps of them), sharing name arrays with {@code prev}. */
  static Packed of(Map<String, ?> m, Packed prev) {
    String[] keys = m.keySet().toArray(new String[0]);
    if (prev != null && Arrays.equals(prev.keys, keys)) {
      keys = prev.keys;
    }
    double[] values = new double[keys.length];
    Packed[] nested = null;
    long integers = 0;
    int i = 0;
    for (Object v : m.values()) {
      values[i] = Double.NaN;
      if (v instanceof Map<?, ?> child) {
        if (nested == null) {
          nested = new Packed[keys.length];
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> c = (Map<String, ?>) child;
        nested[i] = of(c, prev == null ? null : prev.child(keys[i]));
      } else if (v instanceof Number n) {
        values[i] = n.doubleValue();
        if (i < 64 && (v instanceof Integer || v instanceof Long)) {
          integers |= 1L << i;
        }
      } else if (v != null) {
        throw new IllegalArgumentException("a sample holds numbers and maps, not " + v.getClass());
      }
      i++;
    }
    return new Packed(keys, values, nested, integers);
  }

  /**
   * About how many bytes this sample holds on a 64-bit JVM with compressed references (a 12-byte
   * header, 4-byte references, 8-byte alignment): its arrays and itself, a name array only when it
   * is not {@code prev}'s; the names are the meters' and the evidence's own strings.
   */
  long bytes(Packed prev) {
    long b = align(12 + 3 * 4 + 8) + align(16 + 8L * values.length);
    if (prev == null || prev.keys != keys) {
      b += align(16 + 4L * keys.length);
    }
    if (nested != null) {
      b += align(16 + 4L * nested.length);
      for (int i = 0; i < nested.length; i++) {
        if (nested[i] != null) {
          b += nested[i].bytes(prev == null ? null : prev.child(keys[i]));
        }
      }
    }
    return b;
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private Packed child(String key) {
    if (nested == null) {
      return null;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return nested[i];
      }
    }
    return null;
  }

  /** The sample as a map again, in its order. */
  Map<String, Object> unpack() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      if (nested != null && nested[i] != null) {
        m.put(keys[i], nested[i].unpack());
      } else if (Double.isNaN(values[i])) {
        m.put(keys[i], null);
      } else if (i < 64 && (integers & (1L << i)) != 0) {
        m.put(keys[i], (long) values[i]);
      } else {
        m.put(keys[i], values[i]);
      }
    }
    return m;
  }
}
