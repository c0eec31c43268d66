package dev.nova.sample.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Runbook 4.3 "slow queries": while on, a worker runs a statement that sleeps {@code seconds} in
 * the database, one after another (H2: a SLEEP alias; PostgreSQL: pg_sleep).
 */
public final class SlowQueries implements Fault {
  private final DataSource ds;
  private final boolean postgres;
  private final int seconds;
  private volatile Thread worker;

  public SlowQueries(DataSource ds, boolean postgres, int seconds) {
    this.ds = ds;
    this.postgres = postgres;
    this.seconds = seconds;
  }

  @Override
  public String name() {
    return "slow-queries";
  }

  @Override
  public String description() {
    return "a worker runs a " + seconds + " s statement again and again (runbook 4.3)";
  }

  @Override
  public synchronized void start() throws SQLException {
    if (worker != null) {
      return;
    }
    if (!postgres) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("create alias if not exists SLEEP for 'java.lang.Thread.sleep'");
      }
    }
    Thread t = new Thread(this::loop, "slow-report-worker");
    t.setDaemon(true);
    worker = t;
    t.start();
  }

  private void loop() {
    String sql =
        postgres ? "select pg_sleep(" + seconds + ")" : "call SLEEP(" + seconds * 1000L + ")";
    while (worker == Thread.currentThread()) {
      runReport(sql);
    }
  }

  /** The slow "report" query. */
  void runReport(String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      // cancelled by Nova's query-cancel, or the database went away: the next one starts
    }
  }

  @Override
  public synchronized void stop() {
    Thread t = worker;
    worker = null;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public boolean active() {
    return worker != null;
  }
}
