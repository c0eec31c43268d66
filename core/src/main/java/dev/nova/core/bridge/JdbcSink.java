package dev.nova.core.bridge;

/**
 * What JDBC instrumentation reports, typed on JDK classes only so that the agent can load this
 * interface into the bootstrap class loader where every host class sees it. Implementations never
 * throw.
 */
public interface JdbcSink {
  /** A connection was handed to the application. */
  void acquired(Object source, Object connection, long startNanos, long endNanos);

  /** Obtaining a connection failed. */
  void acquireFailed(Object source, String url, Throwable error, long startNanos, long endNanos);

  /** A physical connection was opened (reachability: the database answered). */
  void connected(String url);

  /** The application closed a connection. */
  void closed(Object connection);

  /** A statement was created on a connection, with its SQL when it is prepared. */
  void statementCreated(Object connection, Object statement, String sql);

  /** A statement starts executing; returns what {@link #executeEnd} gets back, or null. */
  Object executeStart(Object statement, String sql);

  /** The execution started by {@link #executeStart} ended, with its error if it threw. */
  void executeEnd(Object execution, Throwable error);

  /** A connection pool object came to life ({@code com.zaxxer.hikari.pool.HikariPool}...). */
  void poolCreated(Object pool);

  /** Does nothing: what the bridge holds while Nova is off. */
  JdbcSink NOOP =
      new JdbcSink() {
        @Override
        public void acquired(Object source, Object connection, long startNanos, long endNanos) {}

        @Override
        public void acquireFailed(
            Object source, String url, Throwable error, long startNanos, long endNanos) {}

        @Override
        public void connected(String url) {}

        @Override
        public void closed(Object connection) {}

        @Override
        public void statementCreated(Object connection, Object statement, String sql) {}

        @Override
        public Object executeStart(Object statement, String sql) {
          return null;
        }

        @Override
        public void executeEnd(Object execution, Throwable error) {}

        @Override
        public void poolCreated(Object pool) {}
      };
}
