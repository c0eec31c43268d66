package dev.nova.core.endpoint;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.meter.Meters;
import dev.nova.core.remediation.ActionDispatcher;
import dev.nova.core.util.Json;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin listener, on the JDK's own {@code com.sun.net.httpserver}: no dependency that could
 * clash with a host's Netty or Jetty, maintained with the JDK. It serves:
 *
 * <ul>
 *   <li>{@code GET /debug/nova} (JSON; {@code ?format=text} for a person),
 *   <li>{@code GET /debug/nova/metrics} (Prometheus text),
 *   <li>{@code GET /debug/nova/actions} (what actions exist and their parameters),
 *   <li>{@code POST /debug/nova/actions/<name>} (one remediation, token required).
 * </ul>
 *
 * <p>Requests are served by a small pool of daemon threads; when it and its short queue are full,
 * the accepting thread serves the request itself, which slows accepting rather than dropping
 * connections. Bad requests answer 4xx with a JSON message; only a fault inside Nova answers 500.
 */
public final class AdminServer implements AutoCloseable {
  static final String BASE = "/debug/nova";
  static final int MAX_URI = 4096;
  static final int MAX_HEADERS = 64;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_BODY = 16 * 1024;
  static final int MAX_DRAIN = 1024 * 1024;
  static final int MAX_PARAMS = 32;

  private final AdminApi api;
  private final NovaHealth health;
  private final MeterRegistry registry;
  private HttpServer server;
  private ThreadPoolExecutor executor;

  public AdminServer(AdminApi api, NovaHealth health, MeterRegistry registry) {
    this.api = api;
    this.health = health;
    this.registry = registry;
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException when the address cannot be bound (the caller reports it; the host goes on)
   */
  public synchronized InetSocketAddress start(String bind, int port, int threads, Path portFile)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(bind), port);
    HttpServer s = HttpServer.create(address, 16);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor ex =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            r -> {
              Thread t = new Thread(r, "nova-admin-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    ex.allowCoreThreadTimeOut(true);
    s.setExecutor(ex);
    // Nova's own listener is not the host's traffic: no request observation here
    s.createContext("/", this::handle)
        .getFilters()
        .removeIf(f -> f instanceof dev.nova.core.bridge.HttpServerBridge.Observer);
    // The server's dispatcher thread inherits daemon status from the thread that starts it: start
    // it from a daemon thread so that Nova never keeps the host's JVM alive.
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                s.start();
                started.complete(null);
              } catch (Throwable t) {
                started.completeExceptionally(t);
              }
            },
            "nova-admin-start");
    starter.setDaemon(true);
    starter.start();
    try {
      started.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      s.stop(0);
      ex.shutdownNow();
      throw new IOException("the admin listener did not start: " + e, e);
    }
    this.server = s;
    this.executor = ex;
    InetSocketAddress bound = s.getAddress();
    if (portFile != null) {
      writePortFile(portFile, bound.getPort());
    }
    return bound;
  }

  private static void writePortFile(Path portFile, int port) {
    try {
      Path abs = portFile.toAbsolutePath();
      Path dir = abs.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = Files.createTempFile(dir, ".nova-port", ".tmp");
      Files.writeString(tmp, port + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      NovaLog.warn("could not write portFile " + portFile + ": " + e + " (option portFile)");
    }
  }

  public synchronized InetSocketAddress address() {
    return server == null ? null : server.getAddress();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) {
    String route = "other";
    int status = 500;
    boolean counted = false;
    try {
      Response r = route(exchange);
      route = r.route;
      status = r.status;
      // counted before the answer leaves, so a client's next request already sees it
      count(route, status);
      counted = true;
      send(exchange, r);
    } catch (IOException e) {
      status = 499; // the client went away mid-exchange: not a fault of Nova's
    } catch (Throwable t) {
      health.recordSuppressed("admin listener", t);
      try {
        send(exchange, Response.error("internal", 500, "Nova failed to answer: " + t.getClass()));
      } catch (Throwable ignored) {
        // the client is gone
      }
    } finally {
      exchange.close();
      if (!counted) {
        count(route, status);
      }
    }
  }

  private Response route(HttpExchange ex) throws IOException {
    String rawUri = ex.getRequestURI().getRawPath();
    String rawQuery = ex.getRequestURI().getRawQuery();
    int uriLength = rawUri.length() + (rawQuery == null ? 0 : rawQuery.length() + 1);
    if (uriLength > MAX_URI) {
      return Response.error("other", 414, "the request URI is longer than " + MAX_URI);
    }
    Headers headers = ex.getRequestHeaders();
    int headerBytes = 0;
    int headerCount = 0;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      for (String v : h.getValue()) {
        headerCount++;
        headerBytes += h.getKey().length() + (v == null ? 0 : v.length()) + 4;
      }
    }
    if (headerCount > MAX_HEADERS || headerBytes > MAX_HEADER_BYTES) {
      return Response.error(
          "other",
          431,
          "request headers exceed " + MAX_HEADERS + " fields or " + MAX_HEADER_BYTES + " bytes");
    }
    Response bodyProblem = drainBody(ex);
    if (bodyProblem != null) {
      return bodyProblem;
    }
    String path =
        rawUri.length() > 1 && rawUri.endsWith("/")
            ? rawUri.substring(0, rawUri.length() - 1)
            : rawUri;
    Map<String, String> query;
    try {
      query = parseQuery(rawQuery);
    } catch (IllegalArgumentException e) {
      return Response.error("other", 400, e.getMessage());
    }
    String method = ex.getRequestMethod();

    if (path.equals(BASE)) {
      if (!method.equals("GET")) {
        return Response.methodNotAllowed("report", "GET");
      }
      for (String k : query.keySet()) {
        if (!k.equals("format")) {
          return Response.error("report", 400, "unknown parameter '" + clip(k) + "'; only format");
        }
      }
      String format = query.getOrDefault("format", "json");
      return switch (format) {
        case "json" -> Response.json("report", 200, Json.shape(api.report()));
        case "text" ->
            Response.text(
                "report", 200, "text/plain; charset=utf-8", TextReport.render(api.report()));
        default ->
            Response.error("report", 400, "format is json or text, not '" + clip(format) + "'");
      };
    }
    if (path.equals(BASE + "/ui") || path.startsWith(BASE + "/ui/")) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return Response.methodNotAllowed("ui", "GET");
      }
      Response r;
      if (path.equals(BASE + "/ui")) {
        r =
            Response.text(
                "ui",
                200,
                "text/html; charset=utf-8",
                UiPage.html(TextReport.render(api.report())));
      } else {
        String name = path.substring((BASE + "/ui/").length());
        byte[] body = UiPage.asset(name);
        if (body == null || body.length == 0) {
          return Response.error("ui", 404, "no such file of the page: " + clip(name));
        }
        r = new Response("ui", 200, UiPage.type(name), body);
      }
      r.headers.put("Content-Security-Policy", UiPage.CSP);
      r.headers.put("Referrer-Policy", "no-referrer");
      return r;
    }
    if (path.equals(BASE + "/metrics")) {
      if (!method.equals("GET")) {
        return Response.methodNotAllowed("metrics", "GET");
      }
      String caller =
          ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
      return Response.text(
          "metrics", 200, "text/plain; version=0.0.4; charset=utf-8", api.scrape(caller));
    }
    if (path.equals(BASE + "/actions")) {
      if (!method.equals("GET")) {
        return Response.methodNotAllowed("actions", "GET");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("actions", api.actions());
      return Response.json("actions", 200, body);
    }
    if (path.startsWith(BASE + "/actions/")) {
      String name = path.substring((BASE + "/actions/").length());
      if (!method.equals("POST")) {
        return Response.methodNotAllowed("action", "POST");
      }
      String caller =
          ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
      ActionDispatcher.Outcome o =
          api.dispatch(caller, headers.getFirst("Authorization"), decode(name), query);
      Response r = Response.json("action", o.status(), o.body());
      r.headers.putAll(o.headers());
      return r;
    }
    if (path.startsWith(BASE + "/incidents/")) {
      String name = path.substring((BASE + "/incidents/").length());
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return Response.methodNotAllowed("incidents", "GET");
      }
      String caller =
          ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
      String decoded = decode(name);
      ActionDispatcher.Outcome refused =
          api.gate(caller, headers.getFirst("Authorization"), "incident-download " + clip(decoded));
      if (refused != null) {
        Response r = Response.json("incidents", refused.status(), refused.body());
        r.headers.putAll(refused.headers());
        return r;
      }
      Path file = api.incident(decoded);
      if (file == null) {
        return Response.error(
            "incidents",
            404,
            "no incident bundle named '"
                + clip(decoded)
                + "'; GET "
                + BASE
                + "/incidents lists them");
      }
      Response r = Response.file("incidents", "application/zip", file);
      r.headers.put("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
      return r;
    }
    if (path.startsWith(BASE + "/") && path.indexOf('/', BASE.length() + 1) < 0) {
      Map<String, Object> view = api.view(path.substring(BASE.length() + 1));
      if (view != null) {
        if (!method.equals("GET")) {
          return Response.methodNotAllowed("view", "GET");
        }
        return Response.json("view", 200, view);
      }
    }
    return Response.error(
        "other",
        404,
        "nothing at " + clip(path) + "; try GET " + BASE + " or " + BASE + "/actions");
  }

  /**
   * Reads and discards the body. Over {@link #MAX_BODY} it answers 413, but only after reading up
   * to {@link #MAX_DRAIN} of it: closing a connection with unread data makes TCP reset it, and the
   * client would see a broken connection instead of the 413.
   */
  private static Response drainBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) < 0) {
          return Response.error("other", 400, "Content-Length is negative");
        }
      } catch (NumberFormatException e) {
        return Response.error("other", 400, "Content-Length is not a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[8192];
      long total = 0;
      int r;
      while (total <= MAX_DRAIN && (r = in.read(buf)) >= 0) {
        total += r;
      }
      if (total > MAX_BODY) {
        return Response.error("other", 413, "request body over " + MAX_BODY + " bytes");
      }
    }
    return null;
  }

  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    String[] pairs = rawQuery.split("&", -1);
    if (pairs.length > MAX_PARAMS) {
      throw new IllegalArgumentException("more than " + MAX_PARAMS + " query parameters");
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (k.isEmpty()) {
        throw new IllegalArgumentException("a query parameter has no name");
      }
      if (out.containsKey(k)) {
        throw new IllegalArgumentException("query parameter '" + clip(k) + "' is given twice");
      }
      out.put(k, v);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed %-escape in the request URI");
    }
  }

  static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", r.contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    r.headers.forEach(h::set);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    if (r.file != null) {
      long size = Files.size(r.file);
      ex.sendResponseHeaders(r.status, head || size == 0 ? -1 : size);
      if (!head && size > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          Files.copy(r.file, os);
        }
      }
      return;
    }
    ex.sendResponseHeaders(r.status, head || r.body.length == 0 ? -1 : r.body.length);
    if (!head && r.body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(r.body);
      }
    }
  }

  private void count(String route, int status) {
    try {
      Counter.builder(Meters.ADMIN_REQUESTS.name())
          .tag("route", route)
          .tag("status", String.valueOf(status))
          .description(Meters.ADMIN_REQUESTS.description())
          .register(registry)
          .increment();
    } catch (Throwable t) {
      health.recordSuppressed("admin meters", t);
    }
  }

  private static final class Response {
    final String route;
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    Path file;

    Response(String route, int status, String contentType, byte[] body) {
      this.route = route;
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    /** A file streamed from disk rather than held in memory (an incident bundle). */
    static Response file(String route, String type, Path file) {
      Response r = new Response(route, 200, type, new byte[0]);
      r.file = file;
      return r;
    }

    static Response json(String route, int status, Object body) {
      return new Response(route, status, "application/json; charset=utf-8", Json.render(body));
    }

    static Response text(String route, int status, String type, String body) {
      return new Response(route, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    static Response error(String route, int status, String message) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status);
      body.put("error", message);
      return json(route, status, body);
    }

    static Response methodNotAllowed(String route, String allowed) {
      Response r = error(route, 405, "use " + allowed + " here");
      r.headers.put("Allow", allowed);
      return r;
    }
  }
}
