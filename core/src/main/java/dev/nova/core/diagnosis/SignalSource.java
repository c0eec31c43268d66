package dev.nova.core.diagnosis;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One area's current measurements as the report shows them under {@code signals.<area>}. Called on
 * the admin listener's threads: must be thread-safe, cheap and never block on the host.
 */
public interface SignalSource {
  /** The member name under {@code signals}: {@code heap}, {@code threads}, {@code jdbc}... */
  String area();

  /** JSON-shaped values: maps, lists, numbers, strings, booleans; null while the area is idle. */
  Map<String, Object> snapshot();

  /** A signal source from its area name and a snapshot function. */
  static SignalSource of(String area, Supplier<Map<String, Object>> snapshot) {
    return new SignalSource() {
      @Override
      public String area() {
        return area;
      }

      @Override
      public Map<String, Object> snapshot() {
        return snapshot.get();
      }
    };
  }
}
