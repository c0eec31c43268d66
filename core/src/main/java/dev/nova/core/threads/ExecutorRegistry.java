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
 * <p>The agent also hands over pools of the JDK's shape that are not the JDK's class (Tomcat's
 * request pool, {@code org.apache.tomcat.util.threads.ThreadPoolExecutor}, a fork of it), read
 * through the same public methods by reflection.
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
      String createdAt,
      String workerClass) {
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
      String name, WeakReference<Object> ref, Shape shape, String prefix, String createdAt) {}

  /** How a pool is read: the JDK's class directly, a fork of it by its public methods. */
  private interface Shape {
    boolean gone(Object pool) throws ReflectiveOperationException;

    Figures read(Entry e, Object pool) throws ReflectiveOperationException;
  }

  private static final Shape JDK =
      new Shape() {
        @Override
        public boolean gone(Object pool) {
          return ((ThreadPoolExecutor) pool).isTerminated();
        }

        @Override
        public Figures read(Entry e, Object pool) {
          ThreadPoolExecutor p = (ThreadPoolExecutor) pool;
          return figures(
              e,
              p.getActiveCount(),
              p.getPoolSize(),
              p.getCorePoolSize(),
              p.getMaximumPoolSize(),
              p.getQueue(),
              p.getCompletedTaskCount(),
              null);
        }
      };

  /** A class with the JDK pool's public methods (Tomcat's fork), read reflectively. */
  private record Fork(
      Method active,
      Method poolSize,
      Method core,
      Method max,
      Method queue,
      Method completed,
      Method terminated)
      implements Shape {
    static Fork of(Class<?> c) {
      try {
        return new Fork(
            c.getMethod("getActiveCount"),
            c.getMethod("getPoolSize"),
            c.getMethod("getCorePoolSize"),
            c.getMethod("getMaximumPoolSize"),
            c.getMethod("getQueue"),
            c.getMethod("getCompletedTaskCount"),
            c.getMethod("isTerminated"));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // not of the shape
      }
    }

    @Override
    public boolean gone(Object pool) throws ReflectiveOperationException {
      return (Boolean) terminated.invoke(pool);
    }

    @Override
    public Figures read(Entry e, Object pool) throws ReflectiveOperationException {
      return figures(
          e,
          (Integer) active.invoke(pool),
          (Integer) poolSize.invoke(pool),
          (Integer) core.invoke(pool),
          (Integer) max.invoke(pool),
          (BlockingQueue<?>) queue.invoke(pool),
          (Long) completed.invoke(pool),
          pool.getClass().getName());
    }
  }

  private static Figures figures(
      Entry e,
      int active,
      int poolSize,
      int core,
      int max,
      BlockingQueue<?> q,
      long completed,
      String workerClass) {
    int queued = q.size();
    int remaining = q.remainingCapacity();
    return new Figures(
        e.name(),
        active,
        poolSize,
        core,
        max,
        queued,
        (long) queued + remaining >= Integer.MAX_VALUE ? -1 : remaining,
        completed,
        e.prefix(),
        e.createdAt(),
        workerClass);
  }

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
    Slot slot = slot(name, executor);
    if (slot == Slot.TAKEN) {
      throw new IllegalArgumentException("an executor named " + name + " is registered");
    }
    if (slot == Slot.HERE || entries.size() >= MAX_EXECUTORS) {
      return false;
    }
    String prefix =
        threadNamePrefix == null || threadNamePrefix.isEmpty() ? null : threadNamePrefix;
    entries.add(new Entry(name, new WeakReference<>(executor), JDK, prefix, null));
    return true;
  }

  /**
   * A pool the agent saw made: named by the frame that called the JDK's constructors ({@code
   * shop.Exports.<init>(Exports.java:20)}), then {@code #2}, {@code #3} for more from the same
   * place. Left out: scheduled pools, pools the JDK makes for itself (an {@code HttpClient}'s),
   * Nova's own, and those of the JDBC drivers and pools Nova already watches (their frames are
   * infrastructure). A pool registered by name as well keeps the first name.
   */
  public boolean registerFound(Object pool, StackTraceElement madeAt) {
    if (pool == null
        || pool instanceof ScheduledThreadPoolExecutor
        || entries.size() >= MAX_EXECUTORS) {
      return false;
    }
    String site = creationSite(madeAt);
    if (site == null) {
      return false;
    }
    Shape shape = pool instanceof ThreadPoolExecutor ? JDK : Fork.of(pool.getClass());
    if (shape == null) {
      return false;
    }
    String prefix = prefixOf(factoryOf(pool));
    synchronized (this) {
      purge();
      if (entries.size() >= MAX_EXECUTORS) {
        return false;
      }
      String name = site;
      for (int n = 2; ; n++) {
        Slot slot = slot(name, pool);
        if (slot == Slot.HERE || (slot == Slot.TAKEN && n > SAME_SITE)) {
          return false; // registered by name already, or too many from one place
        }
        if (slot == Slot.FREE) {
          break;
        }
        name = site + " #" + n;
      }
      entries.add(new Entry(name, new WeakReference<>(pool), shape, prefix, site));
      return true;
    }
  }

  /** What a registration meets: the pool already here, its name held by another, or room. */
  private enum Slot {
    HERE,
    TAKEN,
    FREE
  }

  private Slot slot(String name, Object pool) {
    boolean taken = false;
    for (Entry e : entries) {
      if (e.ref().get() == pool) {
        return Slot.HERE;
      }
      taken |= e.name().equals(name);
    }
    return taken ? Slot.TAKEN : Slot.FREE;
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
      Object p = e.ref().get();
      try {
        if (p == null || e.shape().gone(p)) {
          gone = true;
          continue;
        }
        out.add(e.shape().read(e, p));
      } catch (ReflectiveOperationException | RuntimeException ex) {
        // a pool that cannot be read this round is left out of it
      }
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
          Object p = e.ref().get(); // read once: the collector may clear it between
          try {
            return p == null || e.shape().gone(p);
          } catch (ReflectiveOperationException | RuntimeException ex) {
            return true;
          }
        });
  }

  /** The prefix a thread factory declares through a public {@code getThreadNamePrefix()}. */
  static String prefixOf(ThreadPoolExecutor executor) {
    return prefixOf(executor.getThreadFactory());
  }

  /**
   * A pool's thread factory, through its public {@code getThreadFactory()}; null if it has none.
   */
  private static Object factoryOf(Object pool) {
    if (pool instanceof ThreadPoolExecutor p) {
      return p.getThreadFactory();
    }
    try {
      return pool.getClass().getMethod("getThreadFactory").invoke(pool);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static String prefixOf(Object factory) {
    if (factory == null) {
      return null;
    }
    try {
      Method m = factory.getClass().getMethod("getThreadNamePrefix");
      Object p = m.invoke(factory);
      return p instanceof String s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // a factory that says nothing of its names
    }
  }
}
