package app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A small shop as a servlet application, with no knowledge of Nova: written for jakarta.servlet;
 * the javax hosts get the same source with the package renamed. Every container host maps:
 * <ul>
 *   <li>{@code /*}: {@link Audit} then {@link Timing}, two filters in a chain
 *   <li>{@code /api/items/*}: {@link Items} (200 with a body; {@code /api/items/0} is a 404 through
 *       {@code sendError}, which the container answers with the error page {@code /error-page})
 *   <li>{@code /boom}: {@link Boom} throws (the container's 500)
 *   <li>{@code /forward/*}: {@link Forward} forwards to the item, {@code /include}: {@link
 *       Include} includes it
 *   <li>{@code /async}: {@link Slow} answers 300 ms later from another thread
 *   <li>{@code /error-page}: {@link ErrorPage}
 *   <li>{@code /hold} (Tomcat's host): {@link Hold} keeps its request thread until the host is
 *       told to let go
 * </ul>
 */
public final class ShopServlets {
  private ShopServlets() {}

  /** Servlet 3.1 filters must implement init and destroy themselves (no default methods). */
  public abstract static class BaseFilter implements Filter {
    @Override
    public void init(FilterConfig config) {}

    @Override
    public void destroy() {}
  }

  public static final class Audit extends BaseFilter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) res).setHeader("X-Audit", "seen");
      chain.doFilter(req, res);
    }
  }

  public static final class Timing extends BaseFilter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      long start = System.nanoTime();
      try {
        chain.doFilter(req, res);
      } finally {
        req.setAttribute("shop.nanos", System.nanoTime() - start);
      }
    }
  }

  public static final class Items extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      String id = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
      if (id.equals("0")) {
        res.sendError(404, "no item 0");
        return;
      }
      byte[] body = ("item " + id).getBytes(StandardCharsets.UTF_8);
      res.setContentType("text/plain");
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
    }
  }

  public static final class Boom extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) {
      throw new IllegalStateException("the inventory service is down");
    }
  }

  public static final class Forward extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res)
        throws IOException, ServletException {
      req.getRequestDispatcher("/api/items" + req.getPathInfo()).forward(req, res);
    }
  }

  public static final class Include extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res)
        throws IOException, ServletException {
      res.setContentType("text/plain");
      res.getOutputStream().write("included: ".getBytes(StandardCharsets.UTF_8));
      req.getRequestDispatcher("/api/items/7").include(req, res);
    }
  }

  /** A report that waits for its data on the request thread, until {@link #release}. */
  public static final class Hold extends HttpServlet {
    private static final java.util.concurrent.CountDownLatch DATA =
        new java.util.concurrent.CountDownLatch(1);

    public static void release() {
      DATA.countDown();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      try {
        DATA.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      res.setContentType("text/plain");
      res.getWriter().write("held");
    }
  }

  public static final class Slow extends HttpServlet {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) {
      AsyncContext async = req.startAsync();
      if ("timeout".equals(req.getQueryString())) {
        async.setTimeout(200); // and never completed: the container's timeout answers
        return;
      }
      if ("dispatch".equals(req.getQueryString())) {
        async.setTimeout(10_000);
        later.schedule(() -> async.dispatch("/api/items/7"), 100, TimeUnit.MILLISECONDS);
        return;
      }
      async.setTimeout(10_000);
      later.schedule(
          () -> {
            try {
              async.getResponse().setContentType("text/plain");
              async.getResponse().getWriter().write("slow");
            } catch (IOException e) {
              // the client went away
            }
            async.complete();
          },
          300,
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
      later.shutdownNow();
    }
  }

  public static final class ErrorPage extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.getWriter().write("sorry: " + req.getAttribute("jakarta.servlet.error.message"));
    }
  }
}
