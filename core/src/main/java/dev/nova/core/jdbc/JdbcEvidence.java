package dev.nova.core.jdbc;

import dev.nova.core.finding.Evidence;

/** Evidence about JDBC objects for detectors outside this package (pools). */
public final class JdbcEvidence {
  private JdbcEvidence() {}

  public static Evidence lease(JdbcTracker t, Lease l, long now) {
    return JdbcSignals.lease(t, l, now);
  }
}
