package app;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;

/** Embedded Undertow with its servlet container, as its documentation shows, serving the shop. */
public final class UndertowHost {
  private UndertowHost() {}

  public static void main(String[] args) throws Exception {
    DeploymentInfo shop =
        Servlets.deployment()
            .setClassLoader(UndertowHost.class.getClassLoader())
            .setContextPath("/")
            .setDeploymentName("shop.war")
            .addFilter(filter("audit", new ShopServlets.Audit()))
            .addFilter(filter("timing", new ShopServlets.Timing()))
            .addFilterUrlMapping("audit", "/*", DispatcherType.REQUEST)
            .addFilterUrlMapping("timing", "/*", DispatcherType.REQUEST)
            .addServlet(servlet("items", new ShopServlets.Items()).addMapping("/api/items/*"))
            .addServlet(servlet("boom", new ShopServlets.Boom()).addMapping("/boom"))
            .addServlet(servlet("forward", new ShopServlets.Forward()).addMapping("/forward/*"))
            .addServlet(servlet("include", new ShopServlets.Include()).addMapping("/include"))
            .addServlet(
                servlet("slow", new ShopServlets.Slow()).setAsyncSupported(true).addMapping("/async"))
            .addServlet(servlet("error", new ShopServlets.ErrorPage()).addMapping("/error-page"))
            .addErrorPage(new ErrorPage("/error-page", 404))
            // JSR-356 as Undertow's documentation has it: a deployment attribute with the endpoint
            .addServletContextAttribute(
                io.undertow.websockets.jsr.WebSocketDeploymentInfo.ATTRIBUTE_NAME,
                new io.undertow.websockets.jsr.WebSocketDeploymentInfo()
                    .setBuffers(new io.undertow.server.DefaultByteBufferPool(true, 1024))
                    .addEndpoint(RoomEndpoint.class));
    DeploymentManager manager = Servlets.defaultContainer().addDeployment(shop);
    manager.deploy();
    Undertow server =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            // -Dh2c=true: HTTP/2 in clear text as Undertow's documentation turns it on
            .setServerOption(io.undertow.UndertowOptions.ENABLE_HTTP2, Boolean.getBoolean("h2c"))
            .setHandler(manager.start())
            .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("host-ready port=" + port);
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.stop();
  }

  private static io.undertow.servlet.api.ServletInfo servlet(String name, Servlet s) {
    return Servlets.servlet(name, s.getClass(), new ImmediateInstanceFactory<>(s));
  }

  private static io.undertow.servlet.api.FilterInfo filter(String name, Filter f) {
    return Servlets.filter(name, f.getClass(), new ImmediateInstanceFactory<>(f))
        .setAsyncSupported(true);
  }
}
