package dev.nova.core.remediation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An action's parameters after parsing and checking, and whether it is a dry run. */
public final class ActionRequest {
  /**
   * The parameter every action takes: {@code dryRun=true} answers what it would do, does nothing.
   */
  public static final String DRY_RUN = "dryRun";

  private final Map<String, Object> values;
  private final boolean dryRun;

  ActionRequest(Map<String, Object> values, boolean dryRun) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.dryRun = dryRun;
  }

  /** The parsed value, or the parameter's default when the request did not give it. */
  @SuppressWarnings("unchecked")
  public <T> T get(Param<T> param) {
    Object v = values.get(param.name());
    return v == null ? param.defaultValue() : (T) v;
  }

  /** True when the caller asked what would be done, without doing it. */
  public boolean dryRun() {
    return dryRun;
  }

  /** Every parameter as given (parsed), for the audit line. */
  public Map<String, Object> values() {
    return values;
  }
}
