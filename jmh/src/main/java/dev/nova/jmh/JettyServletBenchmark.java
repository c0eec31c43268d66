package dev.nova.jmh;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
 * One keep-alive request through embedded Jetty 12 (ee10: a filter and a servlet) on a loopback
 * socket, as the Tomcat pair does (Jetty's in-process {@code LocalConnector} opens a connection per
 * request and hands it between threads: too noisy to read a microsecond off). With the agent,
 * Nova's servlet advice observes it. {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JettyServletBenchmark {
  Server server;
  ServletBenchmarks.Client client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.addFilter(
        new FilterHolder(new ServletBenchmarks.Audit()), "/*", EnumSet.of(DispatcherType.REQUEST));
    ctx.addServlet(new ServletHolder(new ServletBenchmarks.Items()), "/api/items/*");
    server.setHandler(ctx);
    server.start();
    client = new ServletBenchmarks.Client(connector.getLocalPort());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    server.stop();
  }

  @Benchmark
  public int request() throws Exception {
    return client.request();
  }
}
