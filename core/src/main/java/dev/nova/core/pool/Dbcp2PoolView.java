package dev.nova.core.pool;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * An Apache Commons DBCP2 pool ({@code org.apache.commons.dbcp2.BasicDataSource}), read through its
 * public getters and its inner commons-pool2 object pool (for waiters and clearing idle
 * connections), reflectively. Named like every other source: simple class name and identity.
 */
final class Dbcp2PoolView implements PoolView {
  private final WeakReference<Object> source;
  private final String name;
  private final Method numActive;
  private final Method numIdle;
  private final Method maxTotal;
  private final Method setMaxTotal;
  private final Method minIdle;
  private final Method isClosed;
  private final Method connectionPool;

  private Dbcp2PoolView(Object source) throws ReflectiveOperationException {
    Class<?> c = source.getClass();
    this.source = new WeakReference<>(source);
    this.name = c.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(source));
    this.numActive = c.getMethod("getNumActive");
    this.numIdle = c.getMethod("getNumIdle");
    this.maxTotal = c.getMethod("getMaxTotal");
    this.setMaxTotal = c.getMethod("setMaxTotal", int.class);
    this.minIdle = c.getMethod("getMinIdle");
    this.isClosed = c.getMethod("isClosed");
    Method m = null;
    for (Class<?> k = c; k != null && m == null; k = k.getSuperclass()) {
      try {
        m = k.getDeclaredMethod("getConnectionPool");
        m.setAccessible(true);
      } catch (NoSuchMethodException | RuntimeException e) {
        m = null;
      }
    }
    this.connectionPool = m;
  }

  static PoolView of(Object candidate) {
    for (Class<?> k = candidate.getClass(); k != null; k = k.getSuperclass()) {
      if (k.getName().equals("org.apache.commons.dbcp2.BasicDataSource")) {
        try {
          return new Dbcp2PoolView(candidate);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          return null;
        }
      }
    }
    return null;
  }

  Object source() {
    return source.get();
  }

  private Object call(Method m, Object... args) {
    Object s = source.get();
    if (s == null || m == null) {
      return null;
    }
    try {
      return m.invoke(s, args);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private int number(Method m) {
    Object v = call(m);
    return v instanceof Number n ? n.intValue() : -1;
  }

  private Object innerPool() {
    return call(connectionPool);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean alive() {
    return source.get() != null && !Boolean.TRUE.equals(call(isClosed));
  }

  @Override
  public int active() {
    return number(numActive);
  }

  @Override
  public int idle() {
    return number(numIdle);
  }

  @Override
  public int total() {
    int a = active();
    int i = idle();
    return a < 0 || i < 0 ? -1 : a + i;
  }

  @Override
  public int max() {
    return number(maxTotal);
  }

  @Override
  public int waiting() {
    Object pool = innerPool();
    if (pool == null) {
      return -1;
    }
    try {
      return ((Number) pool.getClass().getMethod("getNumWaiters").invoke(pool)).intValue();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public boolean softEvict() {
    Object pool = innerPool();
    if (pool == null) {
      return false;
    }
    try {
      pool.getClass().getMethod("clear").invoke(pool); // destroys idle connections only
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean resize(int max) {
    return call(setMaxTotal, max) != null || source.get() != null && max() == max;
  }

  @Override
  public int minimum() {
    return Math.max(1, number(minIdle));
  }
}
