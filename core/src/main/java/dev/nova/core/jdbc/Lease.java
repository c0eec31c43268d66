package dev.nova.core.jdbc;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One borrowed connection, held weakly: who borrowed it, when, from where, and what it runs now.
 * When the connection is collected without {@code close()}, the lease comes back through the
 * reference queue: a certain leak.
 */
public final class Lease extends WeakReference<Object> {
  final int hash;
  final SourceInfo source;
  final String threadName;
  final long threadId;
  final long borrowedAt;
  final long acquireNanos;
  final Throwable borrowStack;
  volatile Execution current;

  /** The last writing statement on this connection while borrowed, and where it ran (or null). */
  volatile SqlStats lastWrite;

  volatile Throwable lastWriteStack;
  volatile boolean closed;
  volatile boolean reported;

  Lease(
      Object connection,
      ReferenceQueue<Object> queue,
      SourceInfo source,
      Thread holder,
      long borrowedAt,
      long acquireNanos,
      Throwable borrowStack) {
    super(connection, queue);
    this.hash = System.identityHashCode(connection);
    this.source = source;
    this.threadName = holder.getName();
    this.threadId = holder.getId();
    this.borrowedAt = borrowedAt;
    this.acquireNanos = acquireNanos;
    this.borrowStack = borrowStack;
  }

  /** The connection's identity hash, so that a lookup by connection finds this lease. */
  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  public String pool() {
    return source.name();
  }

  public String threadName() {
    return threadName;
  }

  public long heldNanos(long now) {
    return now - borrowedAt;
  }

  public StackTraceElement[] borrowFrames() {
    return borrowStack == null ? new StackTraceElement[0] : borrowStack.getStackTrace();
  }

  /** The last writing statement's stack, or none kept. */
  public StackTraceElement[] lastWriteFrames() {
    Throwable t = lastWriteStack;
    return t == null ? new StackTraceElement[0] : t.getStackTrace();
  }

  public Execution current() {
    return current;
  }
}
