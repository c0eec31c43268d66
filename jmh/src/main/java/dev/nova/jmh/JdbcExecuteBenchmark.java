package dev.nova.jmh;

import dev.nova.jmh.noop.NoopDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
 * A statement execute through a driver that does nothing: with the agent, what is left is Nova's
 * advice (call-depth guard, execution record, statistics). {@link BenchMain} runs it bare and with
 * the agent in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdbcExecuteBenchmark {
  private Connection connection;
  private Statement statement;
  private PreparedStatement prepared;

  @Setup
  public void open() throws SQLException {
    connection = new NoopDataSource().getConnection();
    statement = connection.createStatement();
    prepared = connection.prepareStatement("select * from streams where id = ?");
  }

  @TearDown
  public void close() throws SQLException {
    connection.close();
  }

  @Benchmark
  public boolean statementExecute() throws SQLException {
    return statement.execute("select * from streams where id = 42");
  }

  @Benchmark
  public boolean preparedExecute() throws SQLException {
    return prepared.execute();
  }
}
