package dev.nova.core.jdbc;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One statement execution in flight. Its state guards {@code query-cancel}: a cancel may only be
 * sent while the execution is RUNNING, and the execution's end waits for a cancel in flight, so the
 * connection cannot move on to the next statement while a driver's cancel request travels.
 */
public final class Execution {
  static final int RUNNING = 0;
  static final int FINISHED = 1;
  static final int CANCELLING = 2;
  static final int CANCELLED = 3;

  final Thread thread;
  final long startedAt;
  final SqlStats stats;
  final Lease lease;
  final WeakReference<Object> statement;
  final AtomicInteger state = new AtomicInteger(RUNNING);

  Execution(Thread thread, long startedAt, SqlStats stats, Lease lease, Object statement) {
    this.thread = thread;
    this.startedAt = startedAt;
    this.stats = stats;
    this.lease = lease;
    this.statement = new WeakReference<>(statement);
  }

  public String sql() {
    return stats.sql;
  }

  public String threadName() {
    return thread.getName();
  }

  public long elapsedNanos(long now) {
    return now - startedAt;
  }

  public boolean running() {
    int s = state.get();
    return s == RUNNING || s == CANCELLING;
  }

  /** Where the executing thread is now: the calling stack of a running statement. */
  public StackTraceElement[] stackNow() {
    return thread.getStackTrace();
  }
}
