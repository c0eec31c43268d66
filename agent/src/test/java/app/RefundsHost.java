package app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A payments service that knows nothing of Nova: a HikariCP pool of 4 over H2, checkouts every 50
 * ms, and one of two troubles. {@code leak}: the refund path borrows a connection every 3 s and
 * never closes it. {@code slow}: six report threads run statements that take minutes, so the pool
 * is busy with real work and two of them wait. Every second it prints {@code checkouts ok=N
 * failed=M} (totals since start).
 */
public final class RefundsHost {
  static final List<Connection> FORGOTTEN = new ArrayList<>();
  static final AtomicLong OK = new AtomicLong();
  static final AtomicLong FAILED = new AtomicLong();

  private RefundsHost() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    HikariConfig c = new HikariConfig();
    c.setPoolName("payments");
    c.setJdbcUrl("jdbc:h2:mem:payments;DB_CLOSE_DELAY=-1");
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(4);
    c.setConnectionTimeout(30_000); // a fresh pool's first connection may be slow to come
    c.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(c);
    try (Connection setup = ds.getConnection();
        Statement s = setup.createStatement()) {
      s.execute("create table payments (id bigint auto_increment primary key, amount int)");
      s.execute("create alias REPORT for \"" + RefundsHost.class.getName() + ".report\"");
    }
    // then checkouts that give up quickly, as a payment page would; reports wait as long as it
    // takes
    ds.setConnectionTimeout(mode.equals("slow") ? 300_000 : 250);
    daemon("checkout", () -> checkouts(ds));
    if (mode.equals("leak")) {
      daemon("refunds", () -> refunds(ds));
    } else {
      for (int i = 0; i < 6; i++) {
        daemon("report-" + i, () -> reports(ds));
      }
    }
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    while (true) {
      System.out.println("checkouts ok=" + OK.get() + " failed=" + FAILED.get());
      Thread.sleep(1000); // the host's own reporting period
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  static void checkouts(HikariDataSource ds) {
    while (true) {
      try (Connection conn = ds.getConnection();
          Statement s = conn.createStatement()) {
        s.execute("insert into payments (amount) values (42)");
        OK.incrementAndGet();
      } catch (SQLException e) {
        FAILED.incrementAndGet();
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  static void refunds(HikariDataSource ds) {
    while (true) {
      LockSupport.parkNanos(3_000_000_000L);
      try {
        Refunds.refund(ds);
      } catch (SQLException e) {
        // the pool is exhausted: this refund fails like a checkout
      }
    }
  }

  static void reports(HikariDataSource ds) {
    while (true) {
      try (Connection conn = ds.getConnection();
          Statement s = conn.createStatement()) {
        s.execute("call REPORT()");
      } catch (SQLException e) {
        LockSupport.parkNanos(100_000_000L);
      }
    }
  }

  /** A slow report: minutes of work inside the database. */
  public static int report() {
    LockSupport.parkNanos(600_000_000_000L);
    return 1;
  }

  /** The refund path: it updates, then returns without closing its connection. */
  static final class Refunds {
    static void refund(HikariDataSource ds) throws SQLException {
      Connection conn = ds.getConnection();
      try (Statement s = conn.createStatement()) {
        s.execute("update payments set amount = 0 where id = 1");
      }
      synchronized (FORGOTTEN) {
        FORGOTTEN.add(conn); // the bug: never closed
      }
    }
  }
}
