package app;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** Application code with known faults: tests look for these frames in the evidence. */
public final class Culprits {
  private Culprits() {}

  /** Borrows and keeps the connection (a suspect until it is closed). */
  public static Connection borrowAndKeep(DataSource ds, List<Connection> keep) throws SQLException {
    Connection c = ds.getConnection();
    keep.add(c);
    return c;
  }

  /** Borrows and drops the connection without closing it: a leak GC will prove. */
  public static void borrowAndDrop(DataSource ds) throws SQLException {
    Connection c = ds.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("select 1");
    }
    // no close(): the classic leak
  }

  /** Runs a statement that takes a while. */
  public static void runSlow(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Starts threads that wait until released: a creation site tests look for. */
  public static void startParked(java.util.concurrent.CountDownLatch release, int n) {
    for (int i = 0; i < n; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "monitored-" + i);
      t.setDaemon(true);
      t.start();
    }
  }
}
