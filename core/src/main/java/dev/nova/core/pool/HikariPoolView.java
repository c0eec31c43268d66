package dev.nova.core.pool;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * A HikariCP pool ({@code com.zaxxer.hikari.pool.HikariPool}), read through its own management
 * interfaces: {@code HikariPoolMXBean} for the counts and soft eviction, {@code HikariConfigMXBean}
 * for the name and the maximum size, which HikariCP lets a running pool change.
 */
final class HikariPoolView implements PoolView {
  private final WeakReference<Object> pool;
  private final WeakReference<Object> config;
  private final Method active;
  private final Method idle;
  private final Method total;
  private final Method waiting;
  private final Method evict;
  private final Method name;
  private final Method getMax;
  private final Method setMax;
  private final Method minIdle;
  private final String fixedName;

  private HikariPoolView(Object pool, Object config) throws ReflectiveOperationException {
    ClassLoader loader = pool.getClass().getClassLoader();
    Class<?> poolBean = Class.forName("com.zaxxer.hikari.HikariPoolMXBean", false, loader);
    Class<?> configBean = Class.forName("com.zaxxer.hikari.HikariConfigMXBean", false, loader);
    this.pool = new WeakReference<>(pool);
    this.config = new WeakReference<>(config);
    this.active = poolBean.getMethod("getActiveConnections");
    this.idle = poolBean.getMethod("getIdleConnections");
    this.total = poolBean.getMethod("getTotalConnections");
    this.waiting = poolBean.getMethod("getThreadsAwaitingConnection");
    this.evict = poolBean.getMethod("softEvictConnections");
    this.name = configBean.getMethod("getPoolName");
    this.getMax = configBean.getMethod("getMaximumPoolSize");
    this.setMax = configBean.getMethod("setMaximumPoolSize", int.class);
    this.minIdle = configBean.getMethod("getMinimumIdle");
    this.fixedName = String.valueOf(name.invoke(config));
  }

  /** A view of a HikariPool, or of a HikariDataSource once its pool runs; null otherwise. */
  static PoolView of(Object candidate) {
    try {
      Class<?> c = candidate.getClass();
      if (isA(c, "com.zaxxer.hikari.pool.HikariPool")) {
        return new HikariPoolView(candidate, configOf(candidate));
      }
      if (isA(c, "com.zaxxer.hikari.HikariDataSource")) {
        Object pool = c.getMethod("getHikariPoolMXBean").invoke(candidate);
        return pool == null ? null : new HikariPoolView(pool, candidate);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
    return null;
  }

  private static boolean isA(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (k.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Object configOf(Object pool) throws ReflectiveOperationException {
    for (Class<?> k = pool.getClass(); k != null; k = k.getSuperclass()) {
      try {
        Field f = k.getDeclaredField("config");
        f.setAccessible(true);
        return f.get(pool);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    throw new NoSuchFieldException("config");
  }

  Object pool() {
    return pool.get();
  }

  @Override
  public String name() {
    return fixedName;
  }

  @Override
  public boolean alive() {
    Object p = pool.get();
    if (p == null) {
      return false;
    }
    try {
      Method closed = config.get() == null ? null : config.get().getClass().getMethod("isClosed");
      return closed == null || !Boolean.TRUE.equals(closed.invoke(config.get()));
    } catch (NoSuchMethodException e) {
      return true; // a HikariConfig has no isClosed: the pool's liveness is its reachability
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }

  private int read(Method m, Object target) {
    if (target == null) {
      return -1;
    }
    try {
      return ((Number) m.invoke(target)).intValue();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public int active() {
    return read(active, pool.get());
  }

  @Override
  public int idle() {
    return read(idle, pool.get());
  }

  @Override
  public int total() {
    return read(total, pool.get());
  }

  @Override
  public int waiting() {
    return read(waiting, pool.get());
  }

  @Override
  public int max() {
    return read(getMax, config.get());
  }

  @Override
  public int minimum() {
    return Math.max(1, read(minIdle, config.get()));
  }

  @Override
  public boolean softEvict() {
    Object p = pool.get();
    if (p == null) {
      return false;
    }
    try {
      evict.invoke(p);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean resize(int max) {
    Object c = config.get();
    if (c == null) {
      return false;
    }
    try {
      setMax.invoke(c, max);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
