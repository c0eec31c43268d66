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
  /** Released by a test: what {@link #slowWork()} waits for. */
  public static final java.util.concurrent.CountDownLatch SLOW_WORK_DONE =
      new java.util.concurrent.CountDownLatch(1);

  /** An H2 function ({@code create alias ... for "app.Culprits.slowWork"}): slow real work. */
  public static int slowWork() throws InterruptedException {
    SLOW_WORK_DONE.await(60, java.util.concurrent.TimeUnit.SECONDS);
    return 1;
  }

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

  /** Runs {@code sql} on a connection it was handed (the first of two writers). */
  public static void firstWriter(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs {@code sql} on a connection it was handed (the second of two writers). */
  public static void secondWriter(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
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

  /** A retained record a leak-candidate test looks for. */
  public record Hoarded(byte[] payload) {}

  /** Keeps {@code n} objects of 16 KB each: memory a leak-candidate snapshot should point at. */
  public static void hoard(List<Object> keep, int n) {
    for (int i = 0; i < n; i++) {
      keep.add(new Hoarded(new byte[16 * 1024]));
    }
  }

  /** Allocates and drops {@code n} arrays of 4 KB: an allocation hot spot that retains nothing. */
  public static long churn(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      long[] a = new long[512];
      a[i % 512] = i;
      sum += a.length;
    }
    return sum;
  }
}
