package dev.nova.core.jdbc;

import dev.nova.core.pool.PoolRegistry;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * JDBC through the library, for a service without the agent: one line wraps its data source and
 * Nova sees every borrow, close and statement exactly as the agent would.
 *
 * <pre>{@code
 * DataSource ds = nova.jdbc().wrap(hikariDataSource);
 * }</pre>
 *
 * A HikariCP data source is also registered as a pool (counts, saturation, pool-reset, pool-resize)
 * once it runs; {@link #registerPool} does only that, for a pool you do not wrap.
 */
public final class NovaJdbc {
  private final JdbcTracker tracker;
  private final PoolRegistry pools;

  public NovaJdbc(JdbcTracker tracker, PoolRegistry pools) {
    this.tracker = tracker;
    this.pools = pools;
  }

  public JdbcTracker tracker() {
    return tracker;
  }

  public PoolRegistry pools() {
    return pools;
  }

  /** Wraps a data source; wrapping a wrapped one returns it as it is. */
  public DataSource wrap(DataSource target) {
    if (target instanceof TrackingDataSource) {
      return target;
    }
    pools.register(target);
    return new TrackingDataSource(target);
  }

  /** Registers a HikariCP data source or pool; false when it is not one (or not started yet). */
  public boolean registerPool(Object pool) {
    return pools.register(pool);
  }

  private final class TrackingDataSource implements DataSource {
    private final DataSource target;
    private volatile boolean poolKnown;

    TrackingDataSource(DataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return track(null, null);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return track(user, password);
    }

    private Connection track(String user, String password) throws SQLException {
      long start = System.nanoTime();
      Connection c;
      try {
        c = user == null ? target.getConnection() : target.getConnection(user, password);
      } catch (SQLException | RuntimeException e) {
        tracker.acquireFailed(target, null, e, start, System.nanoTime());
        throw e;
      }
      Connection proxy = connectionProxy(c);
      tracker.acquired(target, proxy, start, System.nanoTime());
      if (!poolKnown) {
        poolKnown = pools.register(target);
      }
      return proxy;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return iface.isInstance(target) || target.isWrapperFor(iface);
    }
  }

  private Connection connectionProxy(Connection target) {
    return (Connection)
        Proxy.newProxyInstance(
            NovaJdbc.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(target));
  }

  private static Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Object objectMethod(Object proxy, Object target, Method m, Object[] args) {
    return switch (m.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "Nova(" + target + ")";
    };
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection target;

    ConnectionHandler(Connection target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      if (m.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, target, m, args);
      }
      String name = m.getName();
      if (name.equals("close")) {
        tracker.closed(proxy);
        return call(target, m, args);
      }
      Object result = call(target, m, args);
      if (result instanceof Statement s) {
        String sql =
            name.startsWith("prepare") && args != null && args[0] instanceof String q ? q : null;
        Statement wrapped = statementProxy(s, (Connection) proxy);
        tracker.statementCreated(proxy, wrapped, sql);
        return wrapped;
      }
      return result;
    }
  }

  private Statement statementProxy(Statement target, Connection connection) {
    Class<?> iface =
        target instanceof CallableStatement
            ? CallableStatement.class
            : target instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return (Statement)
        Proxy.newProxyInstance(
            NovaJdbc.class.getClassLoader(),
            new Class<?>[] {iface},
            new StatementHandler(target, connection));
  }

  private final class StatementHandler implements InvocationHandler {
    private final Statement target;
    private final Connection connection;

    StatementHandler(Statement target, Connection connection) {
      this.target = target;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      if (m.getDeclaringClass() == Object.class) {
        return objectMethod(proxy, target, m, args);
      }
      String name = m.getName();
      if (name.equals("getConnection")) {
        return connection;
      }
      if (!name.startsWith("execute")) {
        return call(target, m, args);
      }
      String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
      Object token = tracker.executeStart(proxy, sql);
      try {
        Object r = call(target, m, args);
        tracker.executeEnd(token, null);
        return r;
      } catch (Throwable t) {
        tracker.executeEnd(token, t);
        throw t;
      }
    }
  }
}
