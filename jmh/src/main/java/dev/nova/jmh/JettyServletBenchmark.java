package dev.nova.jmh;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request through embedded Jetty 12 (ee10: a filter and a servlet), in-process through its
 * {@code LocalConnector}: no socket, the whole of Jetty's request handling. With the agent, Nova's
 * servlet advice observes it. {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JettyServletBenchmark {
  static final String REQUEST =
      "GET " + ServletBenchmarks.PATH + " HTTP/1.1\r\nHost: bench\r\n\r\n";

  Server server;
  LocalConnector connector;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = new Server();
    connector = new LocalConnector(server);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.addFilter(
        new FilterHolder(new ServletBenchmarks.Audit()), "/*", EnumSet.of(DispatcherType.REQUEST));
    ctx.addServlet(new ServletHolder(new ServletBenchmarks.Items()), "/api/items/*");
    server.setHandler(ctx);
    server.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.stop();
  }

  @Benchmark
  public int request() throws Exception {
    return connector.getResponse(REQUEST).length();
  }
}
