package dev.nova.core.diagnosis;

import java.util.Map;

/**
 * One area's current measurements as the report shows them under {@code signals.<area>}. Called on
 * the admin listener's threads: must be thread-safe, cheap and never block on the host.
 */
public interface SignalSource {
  /** The member name under {@code signals}: {@code heap}, {@code threads}, {@code jdbc}... */
  String area();

  /** JSON-shaped values: maps, lists, numbers, strings, booleans; null while the area is idle. */
  Map<String, Object> snapshot();
}
