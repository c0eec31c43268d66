package dev.nova.agent.jdbc;

import dev.nova.core.bridge.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * The JDBC advice: each reads its arguments, calls one static method of the bridge, and returns.
 * Inlined into the host's classes; every throwable is suppressed (and the bridge counts its own).
 */
final class JdbcAdvice {
  private JdbcAdvice() {}

  /** {@code DataSource.getConnection(..)} and {@code DriverManager.getConnection(..)}. */
  static final class Acquire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This(optional = true) Object self) {
      return JdbcBridge.acquireEnter(self);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable error) {
      JdbcBridge.acquireExit(token, connection, error, null);
    }
  }

  /** {@code DriverManager.getConnection(String url, ...)}: the URL names the target. */
  static final class DriverManagerAcquire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      return JdbcBridge.acquireEnter(null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Argument(0) String url,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable error) {
      JdbcBridge.acquireExit(token, connection, error, url);
    }
  }

  /** {@code Driver.connect(url, props)}: reachability only. */
  static final class Connect {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Argument(0) String url,
        @Advice.Return Object connection,
        @Advice.Thrown Throwable error) {
      JdbcBridge.connectExit(url, connection, error);
    }
  }

  /** {@code Connection.close()}. */
  static final class Close {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      JdbcBridge.closed(self);
    }
  }

  /** {@code Connection.prepareStatement(sql, ..)} and {@code prepareCall(sql, ..)}. */
  static final class Prepare {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object self, @Advice.Argument(0) String sql, @Advice.Return Object statement) {
      JdbcBridge.statementCreated(self, statement, sql);
    }
  }

  /** {@code Connection.createStatement(..)}. */
  static final class Create {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self, @Advice.Return Object statement) {
      JdbcBridge.statementCreated(self, statement, null);
    }
  }

  /** {@code Statement.execute*(String sql, ..)}. */
  static final class ExecuteSql {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self, @Advice.Argument(0) String sql) {
      return JdbcBridge.executeEnter(self, sql);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable error) {
      JdbcBridge.executeExit(token, error);
    }
  }

  /** {@code PreparedStatement.execute*()} and {@code Statement.executeBatch()}. */
  static final class Execute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self) {
      return JdbcBridge.executeEnter(self, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable error) {
      JdbcBridge.executeExit(token, error);
    }
  }

  /** A pool's own connection opening ({@code HikariCP PoolBase.newConnection}). */
  static final class PoolInternal {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      JdbcBridge.poolInternalEnter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
      JdbcBridge.poolInternalExit();
    }
  }

  /** {@code new HikariPool(config)}. */
  static final class PoolCreated {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object pool) {
      JdbcBridge.poolCreated(pool);
    }
  }
}
