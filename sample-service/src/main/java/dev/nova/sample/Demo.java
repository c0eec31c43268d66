package dev.nova.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.core.Nova;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: starts a small service, finds Nova on it (the agent, or the library
 * when there is no agent), and walks through what Nova shows and does. {@code --serve} runs the
 * service alone until interrupted, for people who want to poke at it with curl.
 */
public final class Demo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Demo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    boolean serve = false;
    int port = 8081;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--serve" -> serve = true;
        case "--port" -> port = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: Demo [--serve] [--port N]");
          System.exit(2);
        }
      }
    }
    System.exit(new Demo(System.out).run(serve, port));
  }

  int run(boolean serve, int port) throws Exception {
    String token = tokenSetting();
    try (DemoService service = new DemoService(port)) {
      String admin = novaAddress(token);
      step("The service is up on http://127.0.0.1:" + service.port() + "/health");
      say("Nova answers on http://" + admin + "/debug/nova");
      if (serve) {
        say("Serving until interrupted (Ctrl-C). Try:");
        say("  curl -s http://" + admin + "/debug/nova?format=text");
        say(
            "  curl -s -XPOST -H 'Authorization: Bearer <token>' http://"
                + admin
                + "/debug/nova/actions/thread-dump");
        new CountDownLatch(1).await();
        return 0;
      }
      return tour(admin, token);
    }
  }

  private int tour(String admin, String token) throws Exception {
    step("1. The diagnosis, as the on-call engineer reads it: GET /debug/nova?format=text");
    String text = get(admin, "/debug/nova?format=text").body();
    List<String> lines = text.lines().toList();
    lines.stream().limit(30).forEach(l -> say("   | " + l));
    if (lines.size() > 30) {
      say("   | ... (" + (lines.size() - 30) + " more lines)");
    }

    step("2. Threads pile up behind a lock (the runbook's goroutine pile-up, on the JVM)");
    Object lock = new Object();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    Thread holder =
        start(
            "cache-refresher",
            () -> {
              synchronized (lock) {
                held.countDown();
                await(release);
              }
            });
    started.add(holder);
    held.await();
    for (int i = 0; i < 6; i++) {
      started.add(
          start(
              "viewer-handler-" + i,
              () -> {
                synchronized (lock) {
                  lock.hashCode();
                }
              }));
    }
    for (Thread t : started.subList(1, started.size())) {
      while (t.getState() != Thread.State.BLOCKED) {
        Thread.onSpinWait();
      }
    }
    say("   6 viewer-handler threads are now BLOCKED on a lock held by cache-refresher");

    step("3. Without the token, actions are refused: POST /debug/nova/actions/thread-dump");
    HttpResponse<String> refused = post(admin, "/debug/nova/actions/thread-dump", null);
    say(
        "   -> "
            + refused.statusCode()
            + " "
            + JSON.readTree(refused.body()).path("error").asText());

    step("4. With the token: the thread dump, grouped by identical stacks, most common first");
    if (token == null) {
      say("   (no token set: start with -Dnova.token=<secret> to run actions)");
    } else {
      HttpResponse<String> dump = post(admin, "/debug/nova/actions/thread-dump?maxDepth=4", token);
      JsonNode d = JSON.readTree(dump.body());
      say(
          "   -> "
              + dump.statusCode()
              + ": "
              + d.path("platformThreads").asInt()
              + " threads in "
              + d.path("groups").asInt()
              + " groups");
      int shown = 0;
      for (JsonNode g : d.path("threadGroups")) {
        if (shown++ == 3) {
          break;
        }
        say("   " + g.path("count").asInt() + " x " + g.path("states") + " " + g.path("threads"));
        for (var it = g.path("waitingOn").fields(); it.hasNext(); ) {
          var e = it.next();
          say(
              "      waiting on "
                  + e.getKey()
                  + " held by "
                  + e.getValue().path("ownerThread").asText());
        }
        for (JsonNode f : g.path("stack")) {
          say("      at " + f.asText());
        }
      }
    }

    step("5. Remediation: the lock holder finishes, the pile-up drains");
    release.countDown();
    for (Thread t : started) {
      t.join(10_000);
    }
    long stillBlocked = started.stream().filter(Thread::isAlive).count();
    say("   threads still blocked: " + stillBlocked);

    step("6. Prometheus metrics: GET /debug/nova/metrics (a few of them)");
    get(admin, "/debug/nova/metrics")
        .body()
        .lines()
        .filter(
            l ->
                l.startsWith("nova_agent_errors_total")
                    || l.startsWith("nova_actions_total")
                    || l.startsWith("nova_heap_used_bytes")
                    || l.startsWith("nova_threads_live"))
        .forEach(l -> say("   " + l));

    JsonNode report = JSON.readTree(get(admin, "/debug/nova").body());
    step(
        "Done. Severity now: "
            + report.path("severity").asText()
            + "; errors inside Nova: "
            + report.path("agent").path("errors").asLong());
    return stillBlocked == 0 ? 0 : 1;
  }

  private static String tokenSetting() {
    String t = System.getProperty("nova.token");
    if (t == null || t.isBlank()) {
      t = System.getenv("NOVA_TOKEN");
    }
    return t == null || t.isBlank() ? null : t;
  }

  /** The agent's listener when the agent is attached; otherwise Nova started as a library. */
  private String novaAddress(String token) {
    String agent = System.getProperty(Nova.AGENT_ADDRESS_PROPERTY);
    if (agent != null) {
      step("Nova runs as the -javaagent in this JVM");
      return agent;
    }
    step("No agent: starting Nova as a library (Nova.start)");
    Nova nova = Nova.start(token == null ? Map.of() : Map.of("token", token));
    var a = nova.address().orElseThrow(() -> new IllegalStateException("Nova is not listening"));
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private HttpResponse<String> get(String admin, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + admin + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String admin, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + admin + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void step(String s) {
    out.println();
    out.println("==> " + s);
    out.flush();
  }

  private void say(String s) {
    out.println(s);
    out.flush();
  }
}
