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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A statement execute through a driver that does nothing: with the agent, what is left is Nova's
 * advice (call-depth guard, execution record, statistics). {@link BenchMain} runs it bare and with
 * the agent in the same run. {@link #preparedUpdate} runs two different writing statements in turn,
 * so that every run is one whose stack Nova keeps for {@code DB_LOCK_WAIT} ({@code
 * jdbc.writeStack}: a capture each time a borrow runs a writing statement other than its last), its
 * worst case; it runs {@link #depth} frames below the benchmark method, as an application's stack
 * under a web framework is, because the capture's cost grows with the depth. {@link
 * #preparedSelectAtDepth} is its twin that keeps no stack.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdbcExecuteBenchmark {
  private Connection connection;
  private Statement statement;
  private PreparedStatement prepared;
  private PreparedStatement update;
  private PreparedStatement otherUpdate;
  private PreparedStatement otherSelect;
  private boolean turn;

  /** Frames between the benchmark method and the update: a framework's stack above the call. */
  @Param({"100"})
  public int depth;

  @Setup
  public void open() throws SQLException {
    connection = new NoopDataSource().getConnection();
    statement = connection.createStatement();
    prepared = connection.prepareStatement("select * from streams where id = ?");
    update = connection.prepareStatement("update streams set viewers = ? where id = ?");
    otherUpdate = connection.prepareStatement("update streams set title = ? where id = ?");
    otherSelect = connection.prepareStatement("select * from streams where title = ?");
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

  @Benchmark
  public boolean preparedUpdate() throws SQLException {
    turn = !turn;
    return below(depth, turn ? update : otherUpdate);
  }

  @Benchmark
  public boolean preparedSelectAtDepth() throws SQLException {
    turn = !turn;
    return below(depth, turn ? prepared : otherSelect);
  }

  private static boolean below(int frames, PreparedStatement s) throws SQLException {
    return frames == 0 ? s.execute() : below(frames - 1, s);
  }
}
