package dev.nova.core.jdbc;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * A connection source (a pool's data source, a plain data source, the driver manager) as Nova names
 * it: a HikariCP pool by its pool name, anything else by its class and identity.
 */
final class SourceInfo {
  static final SourceInfo DRIVER_MANAGER = new SourceInfo(null, "DriverManager", null);

  private final WeakReference<Object> source;
  private volatile String name;
  final String url;

  /** Whether the pool registry has been offered this source (a HikariCP data source is a pool). */
  volatile boolean poolOffered;

  /** The pool's acquire-time histogram, found once by name instead of on every borrow. */
  volatile dev.nova.core.pool.PoolRegistry.AcquireTimes acquireTimes;

  private SourceInfo(Object source, String name, String url) {
    this.source = new WeakReference<>(source);
    this.name = name;
    this.url = url;
  }

  static SourceInfo of(Object source) {
    String url = call(source, "getJdbcUrl");
    if (url == null) {
      url = call(source, "getUrl");
    }
    if (url == null) {
      url = call(source, "getURL");
    }
    return new SourceInfo(source, null, url);
  }

  Object source() {
    return source.get();
  }

  String name() {
    String n = name;
    if (n == null) {
      Object s = source.get();
      if (s == null) {
        return "(collected)";
      }
      String pool = call(s, "getPoolName");
      n =
          pool != null
              ? pool
              : s.getClass().getSimpleName()
                  + "@"
                  + Integer.toHexString(System.identityHashCode(s));
      if (pool != null || !s.getClass().getName().startsWith("com.zaxxer.hikari.")) {
        name = n;
      }
    }
    return n;
  }

  static String call(Object target, String getter) {
    if (target == null) {
      return null;
    }
    try {
      Method m = target.getClass().getMethod(getter);
      Object v = m.invoke(target);
      return v instanceof String s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
