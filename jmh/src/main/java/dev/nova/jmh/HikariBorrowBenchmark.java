package dev.nova.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nova.jmh.noop.NoopDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A HikariCP borrow and return over do-nothing connections: with the agent, Nova's lease (with the
 * borrowing stack captured, its default) and its removal on close.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HikariBorrowBenchmark {
  private HikariDataSource pool;

  @Setup
  public void open() {
    HikariConfig c = new HikariConfig();
    c.setPoolName("bench");
    c.setDriverClassName(NoopDriver.class.getName());
    c.setJdbcUrl("jdbc:noop:bench");
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(4);
    pool = new HikariDataSource(c);
  }

  @TearDown
  public void close() {
    pool.close();
  }

  @Benchmark
  public Connection borrowAndReturn() throws SQLException {
    Connection c = pool.getConnection();
    c.close();
    return c;
  }
}
