package dev.nova.jmh;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The application the servlet pairs serve: one filter in front of one servlet, 200 "ok". */
final class ServletBenchmarks {
  static final String PATH = "/api/items/42";

  private ServletBenchmarks() {}

  static final class Items extends HttpServlet {
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.setContentLength(OK.length);
      res.getOutputStream().write(OK);
    }
  }

  /** One keep-alive connection that sends the request and reads until the answer's body. */
  static final class Client implements AutoCloseable {
    static final byte[] REQUEST =
        ("GET " + PATH + " HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[8192];

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    /** The answer's length; it ends with the 2-byte body "ok" that Content-Length announced. */
    int request() throws IOException {
      out.write(REQUEST);
      out.flush();
      int total = 0;
      while (true) {
        int n = in.read(buf, total, buf.length - total);
        if (n < 0) {
          throw new IOException("the server closed the connection");
        }
        total += n;
        if (total >= 3
            && buf[total - 2] == 'o'
            && buf[total - 1] == 'k'
            && buf[total - 3] == '\n') {
          return total;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static final class Audit implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) res).setHeader("X-Audit", "seen");
      chain.doFilter(req, res);
    }
  }
}
