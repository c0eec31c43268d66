package app;

import java.util.EnumSet;
import javax.servlet.DispatcherType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** Embedded Jetty 9.4 as its documentation shows it, serving {@link ShopServlets}. */
public final class Jetty9Host {
  private Jetty9Host() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    ctx.addFilter(asyncFilter(new ShopServlets.Audit()), "/*", request);
    ctx.addFilter(asyncFilter(new ShopServlets.Timing()), "/*", request);
    ctx.addServlet(new ServletHolder(new ShopServlets.Items()), "/api/items/*");
    ctx.addServlet(new ServletHolder(new ShopServlets.Boom()), "/boom");
    ctx.addServlet(new ServletHolder(new ShopServlets.Forward()), "/forward/*");
    ctx.addServlet(new ServletHolder(new ShopServlets.Include()), "/include");
    ServletHolder slow = new ServletHolder(new ShopServlets.Slow());
    slow.setAsyncSupported(true);
    ctx.addServlet(slow, "/async");
    ctx.addServlet(new ServletHolder(new ShopServlets.ErrorPage()), "/error-page");
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(404, "/error-page");
    ctx.setErrorHandler(errors);
    // JSR-356 as Jetty's documentation has it: the initializer, with the endpoint added to it
    org.eclipse.jetty.websocket.jsr356.server.deploy.WebSocketServerContainerInitializer.configure(
        ctx, (context, container) -> container.addEndpoint(RoomEndpoint.class));
    server.setHandler(ctx);
    server.start();
    System.out.println("host-ready port=" + connector.getLocalPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.stop();
  }

  private static FilterHolder asyncFilter(javax.servlet.Filter f) {
    FilterHolder h = new FilterHolder(f);
    h.setAsyncSupported(true);
    return h;
  }
}
