package dev.nova.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/** The real databases tests use: H2 in memory, and PostgreSQL on 127.0.0.1:5432 when present. */
public final class Databases {
  public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  public static final String PG_USER = "postgres";
  private static final AtomicInteger H2_IDS = new AtomicInteger();

  private Databases() {}

  /** A fresh in-memory H2 database URL, kept alive while the JVM runs. */
  public static String h2Url() {
    return "jdbc:h2:mem:nova" + H2_IDS.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
  }

  public static HikariDataSource hikari(String name, String url, int max) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    if (url.startsWith("jdbc:postgresql")) {
      c.setUsername(PG_USER);
    }
    c.setMaximumPoolSize(max);
    c.setMinimumIdle(1);
    // generous: the first connection of a fresh pool in a fresh JVM can be slow on a busy machine;
    // tests that want a quick timeout lower it once the pool runs
    c.setConnectionTimeout(3_000);
    c.setValidationTimeout(1_000);
    c.setInitializationFailTimeout(-1);
    return new HikariDataSource(c);
  }

  /**
   * Skips the calling test with a clear message when PostgreSQL is not reachable, except in CI
   * ({@code CI=true}), where it must be: there the test fails instead.
   */
  public static void assumePostgres() {
    String why = null;
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
      c.isValid(2);
    } catch (SQLException e) {
      why = e.getMessage();
    }
    if (why != null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "PostgreSQL must be reachable at " + PG_URL + " in CI (.ci/run starts it): " + why);
    }
    assumeTrue(
        why == null,
        "PostgreSQL is not reachable at " + PG_URL + " (" + why + "): PostgreSQL tests skipped");
  }
}
