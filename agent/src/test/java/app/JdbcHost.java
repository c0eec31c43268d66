package app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDBC application that knows nothing of Nova: a HikariCP pool, and faults on command from stdin,
 * one per line. Each command is answered with {@code done <command>} on stdout.
 */
public final class JdbcHost {
  private static final List<Connection> KEPT = new ArrayList<>();
  private static final ExecutorService BACKGROUND =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "host-worker");
            t.setDaemon(true);
            return t;
          });

  private JdbcHost() {}

  public static void main(String[] args) throws Exception {
    HikariConfig c = new HikariConfig();
    c.setPoolName(args[0]);
    c.setJdbcUrl(args[1]);
    if (args[1].startsWith("jdbc:postgresql")) {
      c.setUsername("postgres");
    }
    c.setMaximumPoolSize(Integer.getInteger("pool.max", 2));
    c.setMinimumIdle(1);
    c.setConnectionTimeout(5000);
    c.setInitializationFailTimeout(-1);
    try (HikariDataSource ds = new HikariDataSource(c)) {
      System.out.println("host-ready pid=" + ProcessHandle.current().pid());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
      String line;
      while ((line = in.readLine()) != null) {
        String[] cmd = line.split(" ", 2);
        try {
          switch (cmd[0]) {
            case "keep" -> keepOne(ds);
            case "lock" -> lock(ds, cmd[1]);
            case "drop" -> dropOne(ds);
            case "release" -> release();
            case "query" -> query(ds, cmd[1]);
            case "background" ->
                BACKGROUND.submit(
                    () -> {
                      try {
                        query(ds, cmd[1]);
                        System.out.println("background-done");
                      } catch (SQLException e) {
                        System.out.println("background-failed " + e.getSQLState());
                      }
                      return null;
                    });
            case "borrow" -> ds.getConnection().close();
            case "gc" -> System.gc();
            default -> System.out.println("unknown " + cmd[0]);
          }
          System.out.println("done " + line);
        } catch (SQLException e) {
          System.out.println("failed " + line + " " + e.getSQLState());
        }
      }
    }
  }

  static void keepOne(HikariDataSource ds) throws SQLException {
    KEPT.add(ds.getConnection());
  }

  /**
   * Borrows a connection here and hands it to {@link #write}, which runs {@code sql} in a
   * transaction it leaves open, then to {@link #read}: the connection stays idle in it, kept.
   */
  static void lock(HikariDataSource ds, String sql) throws SQLException {
    Connection c = ds.getConnection();
    c.setAutoCommit(false);
    write(c, sql);
    read(c);
    KEPT.add(c);
  }

  static void write(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static void read(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("select 1");
    }
  }

  static void dropOne(HikariDataSource ds) throws SQLException {
    Connection c = ds.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("select 1");
    }
  }

  static void release() throws SQLException {
    for (Connection c : KEPT) {
      c.close();
    }
    KEPT.clear();
  }

  static void query(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
