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
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    filter(ctx, "audit", new ShopServlets.Audit());
    filter(ctx, "timing", new ShopServlets.Timing());
    servlet(ctx, "items", new ShopServlets.Items(), "/api/items/*");
    servlet(ctx, "boom", new ShopServlets.Boom(), "/boom");
    servlet(ctx, "forward", new ShopServlets.Forward(), "/forward/*");
    servlet(ctx, "include", new ShopServlets.Include(), "/include");
    Tomcat.addServlet(ctx, "slow", new ShopServlets.Slow()).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/async", "slow");
    servlet(ctx, "error", new ShopServlets.ErrorPage(), "/error-page");
    ErrorPage notFound = new ErrorPage();
    notFound.setErrorCode(404);
    notFound.setLocation("/error-page");
    ctx.addErrorPage(notFound);
    tomcat.start();
    System.out.println("host-ready port=" + connector.getLocalPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    tomcat.stop();
    tomcat.destroy();
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
