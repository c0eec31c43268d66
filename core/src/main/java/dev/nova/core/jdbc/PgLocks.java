package dev.nova.core.jdbc;

import dev.nova.core.bridge.JdbcBridge;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * Who blocks a statement on PostgreSQL, asked of the database over a connection of Nova's own:
 * never one from the host's pool (which may be what is saturated), opened through the host's own
 * PostgreSQL driver with the pool's URL, user and password, one at a time, with a 2 s statement
 * timeout and short network timeouts, and closed after use. Nothing Nova does on it is tracked as
 * the host's. The backend pid of a connection comes from the driver ({@code
 * PgConnection.getBackendPID}) and is kept, weakly, per physical connection.
 */
final class PgLocks {
  /** The lock a statement waits for, and who holds what it needs. */
  record Wait(int pid, String lockType, String relation, String mode, List<Blocker> blockers) {}

  /** One blocking session as {@code pg_stat_activity} shows it. */
  record Blocker(
      int pid, String state, Double stateSeconds, Double transactionSeconds, String query) {}

  private final Map<Object, Integer> pids = new WeakHashMap<>();

  /** The physical connection under a pool's proxy, or the object itself. */
  static Object physical(Object connection) {
    if (connection instanceof Connection c) {
      try {
        Connection inner = c.unwrap(Connection.class);
        return inner == null ? c : inner;
      } catch (SQLException | RuntimeException | LinkageError e) {
        return c;
      }
    }
    return connection;
  }

  static boolean isPostgres(Object physical) {
    return physical != null && physical.getClass().getName().startsWith("org.postgresql.");
  }

  /** The backend pid of a PostgreSQL connection, or null. */
  synchronized Integer pid(Object connection) {
    Object p = physical(connection);
    if (!isPostgres(p)) {
      return null;
    }
    Integer known = pids.get(p);
    if (known != null) {
      return known;
    }
    try {
      Method m = p.getClass().getMethod("getBackendPID");
      Object v = m.invoke(p);
      if (v instanceof Integer i) {
        if (pids.size() < 10_000) {
          pids.put(p, i);
        }
        return i;
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not a connection that says
    }
    return null;
  }

  /**
   * Asks the database what {@code pid} waits for and who blocks it; null when it waits for no lock.
   * {@code like}: a connection of the host's to the same database (for its driver and URL); {@code
   * source}: its pool (for the user and password).
   */
  Wait probe(int pid, Object like, SourceInfo source) throws SQLException {
    Object p = physical(like);
    if (!(p instanceof Connection physical)) {
      return null;
    }
    String url = source == null ? null : source.url;
    if (url == null) {
      url = physical.getMetaData().getURL();
    }
    Properties props = new Properties();
    Object s = source == null ? null : source.source();
    String user = SourceInfo.call(s, "getUsername");
    if (user == null) {
      user = SourceInfo.call(s, "getUser");
    }
    if (user == null) {
      user = physical.getMetaData().getUserName();
    }
    String password = SourceInfo.call(s, "getPassword");
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "nova-lock-probe");
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "5");
    props.setProperty("options", "-c statement_timeout=2000");
    Driver driver;
    try {
      driver =
          (Driver)
              Class.forName("org.postgresql.Driver", true, physical.getClass().getClassLoader())
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new SQLException("the host's PostgreSQL driver could not be loaded: " + e);
    }
    JdbcBridge.novaEnter();
    try (Connection c = driver.connect(url, props)) {
      if (c == null) {
        throw new SQLException("the host's driver did not accept the pool's URL");
      }
      // the pool's URL may carry its own timeouts: Nova's, set on the connection, win
      c.setNetworkTimeout(Runnable::run, 5_000);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("set statement_timeout = 2000");
      }
      int[] blocking = blockingPids(c, pid);
      if (blocking.length == 0) {
        return null;
      }
      String lockType = null;
      String relation = null;
      String mode = null;
      try (PreparedStatement st =
          c.prepareStatement(
              "select locktype, relation::regclass::text, mode from pg_locks"
                  + " where pid = ? and not granted limit 1")) {
        st.setInt(1, pid);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            lockType = rs.getString(1);
            relation = rs.getString(2);
            mode = rs.getString(3);
          }
        }
      }
      List<Blocker> blockers = new ArrayList<>();
      try (PreparedStatement st =
          c.prepareStatement(
              "select pid, state, extract(epoch from now() - state_change)::float8,"
                  + " extract(epoch from now() - xact_start)::float8, query"
                  + " from pg_stat_activity where pid = any(?)")) {
        Integer[] boxed = new Integer[blocking.length];
        for (int i = 0; i < blocking.length; i++) {
          boxed[i] = blocking[i];
        }
        Array arr = c.createArrayOf("int4", boxed);
        st.setArray(1, arr);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            blockers.add(
                new Blocker(
                    rs.getInt(1),
                    rs.getString(2),
                    nullable(rs, 3),
                    nullable(rs, 4),
                    SqlNormalizer.normalize(rs.getString(5))));
          }
        }
      }
      return new Wait(pid, lockType, relation, mode, blockers);
    } finally {
      JdbcBridge.novaExit();
    }
  }

  private static Double nullable(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : Math.round(v * 10) / 10.0;
  }

  private static int[] blockingPids(Connection c, int pid) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select pg_blocking_pids(?)")) {
      st.setInt(1, pid);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return new int[0];
        }
        Array a = rs.getArray(1);
        if (a == null) {
          return new int[0];
        }
        Object v = a.getArray();
        if (v instanceof Integer[] ints) {
          int[] out = new int[ints.length];
          for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i];
          }
          return out;
        }
        return new int[0];
      }
    }
  }

  /** For the abort action: {@code Connection.abort} on the physical connection. */
  static void abort(Object connection) throws SQLException {
    Object p = physical(connection);
    if (p instanceof Connection c) {
      c.abort(Runnable::run);
    }
  }
}
