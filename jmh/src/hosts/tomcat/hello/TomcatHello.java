package hello;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A hello-world servlet on embedded Tomcat, as Tomcat's embedding documentation shows one. No Nova
 * here. Prints its port when it listens.
 */
public final class TomcatHello {
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-hello").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    Tomcat.addServlet(ctx, "hello", new Hello());
    ctx.addServletMappingDecoded("/", "hello");
    tomcat.start();
    System.out.println("listening " + connector.getLocalPort());
    tomcat.getServer().await();
  }

  static final class Hello extends HttpServlet {
    private static final byte[] CONTENT = "Hello World".getBytes();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.setContentLength(CONTENT.length);
      res.getOutputStream().write(CONTENT);
    }
  }
}
