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

  static final class Audit implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) res).setHeader("X-Audit", "seen");
      chain.doFilter(req, res);
    }
  }
}
