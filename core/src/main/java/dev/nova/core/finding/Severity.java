package dev.nova.core.finding;

/**
 * The runbook's escalation path, most urgent first.
 *
 * <ul>
 *   <li>{@link #CRITICAL}: service down or data at risk; page now.
 *   <li>{@link #HIGH}: users affected (error rate over 5%, a pool exhausted); act within the hour.
 *   <li>{@link #MEDIUM}: degraded (error rate 1-5%, growth that will exhaust a resource).
 *   <li>{@link #LOW}: worth a look in working hours (error rate under 1%).
 * </ul>
 */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW;

  /** True when this is more urgent than {@code other}. */
  public boolean isAbove(Severity other) {
    return other == null || ordinal() < other.ordinal();
  }

  /** The more urgent of the two; {@code null} counts as no severity at all. */
  public static Severity max(Severity a, Severity b) {
    if (a == null) {
      return b;
    }
    return b == null || a.ordinal() <= b.ordinal() ? a : b;
  }
}
