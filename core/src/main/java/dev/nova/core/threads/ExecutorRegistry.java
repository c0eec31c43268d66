package dev.nova.core.threads;

import dev.nova.core.finding.StackFrames;
import dev.nova.core.jdbc.AppFrames;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The thread pools Nova watches for {@code EXECUTOR_SATURATED}: {@link ThreadPoolExecutor}s the
 * service registers by name (the Spring Boot starter registers every {@code ThreadPoolTaskExecutor}
 * bean). Held weakly, so Nova never keeps a pool alive; one that is collected or terminated leaves.
 * Reading a pool's figures takes its own lock for a moment, once per detector round.
 *
 * <p>A {@link ScheduledThreadPoolExecutor} is refused: its queue holds tasks waiting for their
 * time, not for a thread, so a full pool with a queue is its normal state.
 */
public final class ExecutorRegistry {
  /** Registrations kept at most; further ones are refused. */
  static final int MAX_EXECUTORS = 256;

  /** One pool's figures at one moment. {@code queueRemaining} is -1 for an unbounded queue. */
  public record Figures(
      String name,
      int active,
      int poolSize,
      int coreSize,
      int maxSize,
      int queued,
      int queueRemaining,
      long completed,
      String threadPrefix,
      String createdAt) {
    /** Every worker busy and tasks waiting for one: the pool cannot take more work now. */
    public boolean saturated() {
      return queued > 0 && poolSize > 0 && active >= poolSize;
    }

    /** A bounded queue with no room left: the next task is rejected or grows the pool. */
    public boolean queueFull() {
      return queueRemaining == 0;
    }
  }

  private record Entry(
      String name, WeakReference<ThreadPoolExecutor> ref, String prefix, String createdAt) {}

  /** Names a pool found by the agent takes: its site, then "site #2".. up to this many. */
  static final int SAME_SITE = 16;

  private final List<Entry> entries = new CopyOnWriteArrayList<>();

  /**
   * Watches {@code executor} under {@code name}; its worker threads are found by the prefix its
   * thread factory declares ({@code getThreadNamePrefix()}, as Spring's does), if any. False when
   * it is a scheduled pool, already registered, or the registry is full; a name taken by a live
   * pool is refused with an exception.
   */
  public boolean register(String name, ThreadPoolExecutor executor) {
    return register(name, executor, prefixOf(executor));
  }

  /** As {@link #register(String, ThreadPoolExecutor)}, naming the workers' thread-name prefix. */
  public synchronized boolean register(
      String name, ThreadPoolExecutor executor, String threadNamePrefix) {
    if (name == null || name.isBlank() || executor == null) {
      throw new IllegalArgumentException("an executor needs a name and a pool");
    }
    if (executor instanceof ScheduledThreadPoolExecutor) {
      return false;
    }
    purge();
    for (Entry e : entries) {
      ThreadPoolExecutor live = e.ref().get();
      if (live == executor) {
        return false;
      }
      if (e.name().equals(name)) {
        throw new IllegalArgumentException("an executor named " + name + " is registered");
      }
    }
    if (entries.size() >= MAX_EXECUTORS) {
      return false;
    }
    String prefix =
        threadNamePrefix == null || threadNamePrefix.isEmpty() ? null : threadNamePrefix;
    entries.add(new Entry(name, new WeakReference<>(executor), prefix, null));
    return true;
  }

  /**
   * A pool the agent saw made: named by the frame that called the JDK's constructors ({@code
   * shop.Exports.<init>(Exports.java:20)}), then {@code #2}, {@code #3} for more from the same
   * place. Left out: scheduled pools, pools the JDK makes for itself (an {@code HttpClient}'s),
   * Nova's own, and those of the JDBC drivers and pools Nova already watches (their frames are
   * infrastructure). A pool registered by name as well keeps the first name.
   */
  public boolean registerFound(ThreadPoolExecutor pool, StackTraceElement madeAt) {
    if (pool instanceof ScheduledThreadPoolExecutor || entries.size() >= MAX_EXECUTORS) {
      return false;
    }
    String site = creationSite(madeAt);
    if (site == null) {
      return false;
    }
    String prefix = prefixOf(pool);
    synchronized (this) {
      purge();
      if (entries.size() >= MAX_EXECUTORS) {
        return false;
      }
      String name = site;
      for (int n = 2; ; n++) {
        boolean taken = false;
        for (Entry e : entries) {
          if (e.ref().get() == pool) {
            return false; // registered by name already
          }
          taken |= e.name().equals(name);
        }
        if (!taken) {
          break;
        }
        if (n > SAME_SITE) {
          return false;
        }
        name = site + " #" + n;
      }
      entries.add(new Entry(name, new WeakReference<>(pool), prefix, site));
      return true;
    }
  }

  /** Where the pool was made, or null to leave it out: the JDK's own, Nova's, a driver's. */
  static String creationSite(StackTraceElement site) {
    if (site == null) {
      return null;
    }
    String c = site.getClassName();
    if (c.startsWith("java.") || AppFrames.isInfrastructure(c) || c.startsWith("dev.nova.")) {
      return null;
    }
    return StackFrames.format(site);
  }

  /** How many pools are watched now. */
  public int size() {
    return entries.size();
  }

  /** Every live pool's figures now, in registration order. */
  public List<Figures> figures() {
    List<Figures> out = new ArrayList<>();
    boolean gone = false;
    for (Entry e : entries) {
      ThreadPoolExecutor p = e.ref().get();
      if (p == null || p.isTerminated()) {
        gone = true;
        continue;
      }
      BlockingQueue<Runnable> q = p.getQueue();
      int queued = q.size();
      int remaining = q.remainingCapacity();
      out.add(
          new Figures(
              e.name(),
              p.getActiveCount(),
              p.getPoolSize(),
              p.getCorePoolSize(),
              p.getMaximumPoolSize(),
              queued,
              (long) queued + remaining >= Integer.MAX_VALUE ? -1 : remaining,
              p.getCompletedTaskCount(),
              e.prefix(),
              e.createdAt()));
    }
    if (gone) {
      synchronized (this) {
        purge();
      }
    }
    return out;
  }

  private void purge() {
    entries.removeIf(
        e -> {
          ThreadPoolExecutor p = e.ref().get(); // read once: the collector may clear it between
          return p == null || p.isTerminated();
        });
  }

  /** The prefix a thread factory declares through a public {@code getThreadNamePrefix()}. */
  static String prefixOf(ThreadPoolExecutor executor) {
    Object factory = executor.getThreadFactory();
    try {
      Method m = factory.getClass().getMethod("getThreadNamePrefix");
      Object p = m.invoke(factory);
      return p instanceof String s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // a factory that says nothing of its names
    }
  }
}
