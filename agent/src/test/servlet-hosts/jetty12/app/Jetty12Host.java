package app;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) as its documentation shows it, serving {@link ShopServlets}. */
public final class Jetty12Host {
  private Jetty12Host() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    // -Dh2c=true: HTTP/1.1 and HTTP/2 in clear text on one connector, as Jetty's documentation has it
    org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
    ServerConnector connector =
        Boolean.getBoolean("h2c")
            ? new ServerConnector(
                server,
                new org.eclipse.jetty.server.HttpConnectionFactory(http),
                new org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory(http))
            : new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
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
    org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer
        .configure(ctx, (context, container) -> container.addEndpoint(RoomEndpoint.class));
    server.setHandler(ctx);
    server.start();
    System.out.println("host-ready port=" + connector.getLocalPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.stop();
  }

  private static FilterHolder asyncFilter(jakarta.servlet.Filter f) {
    FilterHolder h = new FilterHolder(f);
    h.setAsyncSupported(true);
    return h;
  }
}
