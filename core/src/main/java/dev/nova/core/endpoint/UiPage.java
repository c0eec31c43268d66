package dev.nova.core.endpoint;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.FindingCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /debug/nova/ui}: one page, read-only like every GET, everything from the jar: the
 * script and styles bundled at build time from pinned npm libraries (uPlot for the charts,
 * d3-flame-graph for the CPU profile; their licences under {@code ui/licenses/}), no request
 * leaving the admin listener, a strict {@code Content-Security-Policy}. The text report is in the
 * page itself, so that without JavaScript a person still reads the diagnosis; with it, the live
 * view replaces it.
 */
final class UiPage {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, byte[]> ASSETS = new ConcurrentHashMap<>();

  private UiPage() {}

  static String html(String textReport) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>Nova</title><link rel=\"icon\" href=\"data:,\">"
        + "<link rel=\"stylesheet\" href=\"/debug/nova/ui/app.css\"></head>"
        // the names the script looks for, from their one definition (no copy in the script)
        + "<body data-heap-growth=\""
        + FindingCode.HEAP_GROWTH.code()
        + "\" data-cpu-profile=\""
        + ActionNames.CPU_PROFILE
        + "\" data-thread-dump=\""
        + ActionNames.THREAD_DUMP
        + "\" data-incident=\""
        + ActionNames.INCIDENT
        + "\"><header><h1>Nova</h1><span id=\"severity\" class=\"sev\">…</span>"
        + "<label>token <input id=\"token\" type=\"password\" autocomplete=\"off\"></label>"
        + "<button id=\"use-token\">use token</button><span id=\"token-state\" class=\"muted\">"
        + "no token</span><span id=\"problem\" class=\"error\"></span></header>"
        + "<div id=\"text\"><pre>"
        + escape(textReport)
        + "</pre></div>"
        + "<main id=\"live\" hidden>"
        + "<section id=\"wide\"><h2>Findings</h2><p id=\"no-finding\" class=\"muted\" hidden>"
        + "No finding: nothing in the runbook applies now.</p><div id=\"findings\"></div></section>"
        + section("heap", "Heap", "<p id=\"heap-note\" class=\"note\"></p>")
        + section("threads", "Threads", "")
        + section("http", "HTTP rate", "")
        + section("errors", "HTTP errors", "")
        + section("latency", "HTTP latency", "")
        + section("grpc", "gRPC calls", "")
        + section("grpc-errors", "gRPC errors", "")
        + section("grpc-latency", "gRPC latency", "")
        + section("ws", "WebSocket sessions", "")
        + section("ws-codes", "WebSocket disconnects", "")
        + section("pools", "Pools", "")
        + section("gc", "GC and CPU", "")
        + "<section><h2>Tools</h2><button id=\"jdbc\">who holds the pool</button>"
        + "<div id=\"tools\"></div><pre id=\"tools-answer\"></pre></section>"
        + "<section><h2>Incidents</h2><div id=\"incidents\"></div></section>"
        + "<section><h2>Autopilot</h2><div id=\"autopilot\"></div></section>"
        + "<section id=\"wide-flame\"><h2>CPU profile</h2><p id=\"flame-note\" class=\"muted\">"
        + "run cpu-profile (under Tools) to draw one</p><div id=\"flame\" class=\"chart\"></div>"
        + "</section></main>"
        + "<script src=\"/debug/nova/ui/app.js\"></script></body></html>\n";
  }

  private static String section(String id, String title, String after) {
    return "<section><h2>"
        + title
        + "</h2><div id=\""
        + id
        + "\" class=\"chart\"></div>"
        + after
        + "</section>";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A bundled asset by name ({@code app.js}, {@code app.css}, {@code licenses/uplot.txt}), or null.
   */
  static byte[] asset(String name) {
    if (!name.matches("(app\\.js|app\\.css|licenses/[a-z0-9-]+\\.txt)")) {
      return null;
    }
    return ASSETS.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = UiPage.class.getResourceAsStream("ui/" + n)) {
            return in == null ? new byte[0] : in.readAllBytes();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }

  static String type(String name) {
    return name.endsWith(".js")
        ? "text/javascript; charset=utf-8"
        : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
  }
}
