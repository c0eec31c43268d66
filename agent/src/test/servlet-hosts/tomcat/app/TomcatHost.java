package app;

import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat as its documentation shows it, serving {@link ShopServlets}; no Nova here. */
public final class TomcatHost {
  private TomcatHost() {}

  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    // the request pool's size, as server.xml's maxThreads sets it
    connector.setProperty("maxThreads", System.getProperty("maxThreads", "200"));
    if (Boolean.getBoolean("h2c")) {
      // HTTP/2 in clear text (by upgrade and by prior knowledge), as Tomcat's documentation has it
      connector.addUpgradeProtocol(new org.apache.coyote.http2.Http2Protocol());
    }
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    // the default servlet: unmapped paths (and WebSocket upgrades) reach the filter chain
    servlet(ctx, "default", new org.apache.catalina.servlets.DefaultServlet(), "/");
    filter(ctx, "audit", new ShopServlets.Audit());
    filter(ctx, "timing", new ShopServlets.Timing());
    servlet(ctx, "items", new ShopServlets.Items(), "/api/items/*");
    servlet(ctx, "boom", new ShopServlets.Boom(), "/boom");
    servlet(ctx, "forward", new ShopServlets.Forward(), "/forward/*");
    servlet(ctx, "include", new ShopServlets.Include(), "/include");
    Tomcat.addServlet(ctx, "slow", new ShopServlets.Slow()).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/async", "slow");
    servlet(ctx, "error", new ShopServlets.ErrorPage(), "/error-page");
    servlet(ctx, "hold", new ShopServlets.Hold(), "/hold");
    ErrorPage notFound = new ErrorPage();
    notFound.setErrorCode(404);
    notFound.setLocation("/error-page");
    ctx.addErrorPage(notFound);
    // JSR-356 as Tomcat's documentation has it for an embedded context: its initializer, then the
    // endpoint added to the container once the context starts
    ctx.addServletContainerInitializer(new org.apache.tomcat.websocket.server.WsSci(), null);
    ctx.addApplicationListener(RoomDeployer.class.getName());
    tomcat.start();
    System.out.println("host-ready port=" + connector.getLocalPort());
    for (int b; (b = System.in.read()) >= 0; ) {
      if (b == 'r') {
        ShopServlets.Hold.release(); // until the test closes stdin; 'r' lets held requests go
      }
    }
    tomcat.stop();
    tomcat.destroy();
  }

  /** Adds {@link RoomEndpoint} to the context's WebSocket container. */
  public static final class RoomDeployer implements jakarta.servlet.ServletContextListener {
    @Override
    public void contextInitialized(jakarta.servlet.ServletContextEvent e) {
      try {
        ((jakarta.websocket.server.ServerContainer)
                e.getServletContext()
                    .getAttribute("jakarta.websocket.server.ServerContainer"))
            .addEndpoint(RoomEndpoint.class);
      } catch (jakarta.websocket.DeploymentException ex) {
        throw new IllegalStateException(ex);
      }
    }

    @Override
    public void contextDestroyed(jakarta.servlet.ServletContextEvent e) {}
  }

  private static void servlet(Context ctx, String name, jakarta.servlet.Servlet s, String path) {
    Tomcat.addServlet(ctx, name, s);
    ctx.addServletMappingDecoded(path, name);
  }

  private static void filter(Context ctx, String name, jakarta.servlet.Filter f) {
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(f);
    def.setAsyncSupported("true");
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
  }
}
