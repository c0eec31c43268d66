package dev.nova.core.jdbc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Statistics of one normalized statement, like a row of {@code pg_stat_statements}. */
public final class SqlStats {
  final String sql;

  /** Whether the statement may take row or table locks that last until its transaction ends. */
  final boolean writes;

  final LongAdder calls = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder totalNanos = new LongAdder();
  final AtomicLong maxNanos = new AtomicLong();

  SqlStats(String sql) {
    this.sql = sql;
    this.writes = SqlNormalizer.writes(sql);
  }

  void record(long nanos, boolean error) {
    calls.increment();
    totalNanos.add(nanos);
    if (error) {
      errors.increment();
    }
    long m = maxNanos.get();
    while (nanos > m && !maxNanos.compareAndSet(m, nanos)) {
      m = maxNanos.get();
    }
  }
}
