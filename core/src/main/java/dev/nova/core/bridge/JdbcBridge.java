package dev.nova.core.bridge;

/**
 * The doorway from inlined JDBC advice into Nova. Advice calls these static methods and nothing
 * else; they keep the per-thread call depth so that a pool proxy delegating to a driver is counted
 * once, and hand the outermost call to the {@link JdbcSink}. Every method catches everything:
 * nothing reaches the host.
 *
 * <p>Typed on JDK classes only: the agent puts this class in the bootstrap class loader.
 */
public final class JdbcBridge {
  private static volatile JdbcSink sink = JdbcSink.NOOP;
  private static volatile ErrorCounter errors = (where, t) -> {};

  /** Where the bridge counts what it swallowed. */
  public interface ErrorCounter {
    void suppressed(String where, Throwable t);
  }

  /**
   * Per-thread depths: [0] acquisition, [1] execution, [2] inside a pool's own connection work, [3]
   * Nova's own database work (its lock probe): nothing inside it is the host's.
   */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[4]);

  /** A token for an outermost acquisition: when it started. */
  private static final class Acquire {
    final Object source;
    final long start;

    Acquire(Object source, long start) {
      this.source = source;
      this.start = start;
    }
  }

  private static final Object NESTED = new Object();

  private JdbcBridge() {}

  public static void install(JdbcSink s, ErrorCounter counter) {
    errors = counter;
    sink = s;
  }

  public static void uninstall(JdbcSink s) {
    if (sink == s) {
      sink = JdbcSink.NOOP;
    }
  }

  public static JdbcSink sink() {
    return sink;
  }

  // ---- acquisition: DataSource.getConnection, DriverManager.getConnection

  /** Enter advice of a connection source; returns the token the exit advice hands back. */
  public static Object acquireEnter(Object source) {
    try {
      int[] d = DEPTH.get();
      if (d[0]++ > 0 || d[2] > 0 || d[3] > 0) {
        return NESTED;
      }
      return new Acquire(source, System.nanoTime());
    } catch (Throwable t) {
      errors.suppressed("jdbc acquire", t);
      return NESTED;
    }
  }

  public static void acquireExit(Object token, Object connection, Throwable error, String url) {
    try {
      DEPTH.get()[0]--;
      if (token instanceof Acquire a) {
        long end = System.nanoTime();
        if (error == null && connection != null) {
          sink.acquired(a.source, connection, a.start, end);
        } else if (error != null) {
          sink.acquireFailed(a.source, url, error, a.start, end);
        }
      }
    } catch (Throwable t) {
      errors.suppressed("jdbc acquire", t);
    }
  }

  /** Nova's own database work begins on this thread: none of it is tracked as the host's. */
  public static void novaEnter() {
    DEPTH.get()[3]++;
  }

  public static void novaExit() {
    DEPTH.get()[3]--;
  }

  private static boolean novas() {
    return DEPTH.get()[3] > 0;
  }

  /** A pool's own work of opening physical connections: nothing inside it is a borrow. */
  public static void poolInternalEnter() {
    try {
      DEPTH.get()[2]++;
    } catch (Throwable t) {
      errors.suppressed("jdbc pool", t);
    }
  }

  public static void poolInternalExit() {
    try {
      DEPTH.get()[2]--;
    } catch (Throwable t) {
      errors.suppressed("jdbc pool", t);
    }
  }

  // ---- Driver.connect: reachability only (pools open physical connections this way)

  public static void connectExit(String url, Object connection, Throwable error) {
    try {
      if (novas()) {
        return;
      }
      if (error != null) {
        sink.acquireFailed(null, url, error, 0, 0);
      } else if (connection != null) {
        sink.connected(url);
      }
    } catch (Throwable t) {
      errors.suppressed("jdbc connect", t);
    }
  }

  // ---- Connection.close, statement creation

  public static void closed(Object connection) {
    try {
      if (novas()) {
        return;
      }
      sink.closed(connection);
    } catch (Throwable t) {
      errors.suppressed("jdbc close", t);
    }
  }

  public static void statementCreated(Object connection, Object statement, String sql) {
    try {
      if (novas()) {
        return;
      }
      if (statement != null) {
        sink.statementCreated(connection, statement, sql);
      }
    } catch (Throwable t) {
      errors.suppressed("jdbc statement", t);
    }
  }

  // ---- execution

  public static Object executeEnter(Object statement, String sql) {
    try {
      int[] d = DEPTH.get();
      if (d[1]++ > 0 || d[3] > 0) {
        return NESTED;
      }
      Object e = sink.executeStart(statement, sql);
      return e == null ? NESTED : e;
    } catch (Throwable t) {
      errors.suppressed("jdbc execute", t);
      return NESTED;
    }
  }

  public static void executeExit(Object token, Throwable error) {
    try {
      DEPTH.get()[1]--;
      if (token != NESTED && token != null) {
        sink.executeEnd(token, error);
      }
    } catch (Throwable t) {
      errors.suppressed("jdbc execute", t);
    }
  }

  public static void poolCreated(Object pool) {
    try {
      sink.poolCreated(pool);
    } catch (Throwable t) {
      errors.suppressed("jdbc pool", t);
    }
  }
}
