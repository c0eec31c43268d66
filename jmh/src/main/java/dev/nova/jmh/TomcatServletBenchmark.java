package dev.nova.jmh;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
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
 * One keep-alive request through embedded Tomcat 10.1 (a filter and a servlet) on a loopback
 * socket: Tomcat has no in-process connector, so the socket's cost is in both twins. With the
 * agent, Nova's servlet advice observes it. {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TomcatServletBenchmark {
  Tomcat tomcat;
  ServletBenchmarks.Client client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-bench").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxKeepAliveRequests", "-1"); // one connection for the whole run
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    FilterDef def = new FilterDef();
    def.setFilterName("audit");
    def.setFilter(new ServletBenchmarks.Audit());
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("audit");
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
    Tomcat.addServlet(ctx, "items", new ServletBenchmarks.Items());
    ctx.addServletMappingDecoded("/api/items/*", "items");
    tomcat.start();
    client = new ServletBenchmarks.Client(connector.getLocalPort());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    tomcat.stop();
    tomcat.destroy();
  }

  @Benchmark
  public int request() throws Exception {
    return client.request();
  }
}
