package dev.nova.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The guided tour: forks the service with the Nova agent (H2, short thresholds), drives normal
 * load, then for each runbook scenario turns its fault on, shows what {@code /debug/nova} says,
 * runs the remediation through the action endpoint, turns the fault off and waits until Nova says
 * the service has recovered. Also the driver of the end-to-end tests.
 */
public final class Tour implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration DETECT = Duration.ofSeconds(90);
  static final Duration RECOVER = Duration.ofSeconds(150);

  private final PrintStream out;
  private final Process service;
  private final String base;
  private final String admin;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final StringBuilder serviceOutput = new StringBuilder();

  /** Forks the service with the agent; {@code env} adds to its environment (NOVA_DB_URL...). */
  public Tour(PrintStream out, Path agentJar, Path workDir, Map<String, String> env)
      throws Exception {
    this.out = out;
    this.token = "tour-" + Long.toHexString(System.nanoTime());
    Path portFile = workDir.resolve("nova.port");
    Files.deleteIfExists(portFile);
    String classPath =
        Path.of(Tour.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String javaHome = System.getProperty("java.home");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(javaHome, "bin", "java").toString(),
                "-Xmx384m",
                "-javaagent:"
                    + agentJar.toAbsolutePath()
                    + "=token="
                    + token
                    + ",port=0,portFile="
                    + portFile
                    + ","
                    + Scenarios.AGENT_OPTIONS,
                "-cp",
                classPath
                    + System.getProperty("path.separator")
                    + System.getProperty("java.class.path"),
                Demo.class.getName(),
                "--serve",
                "--faults",
                "--port",
                "0",
                "--until-stdin-closes"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    service = pb.start();
    int port = awaitServicePort();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Nova did not write its port file\n" + serviceOutput);
      }
      Thread.sleep(50); // the agent writes it once its listener is up
    }
    admin = "http://127.0.0.1:" + Files.readString(portFile).trim();
  }

  private int awaitServicePort() throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
    int[] port = {-1};
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (serviceOutput) {
                    serviceOutput.append(line).append('\n');
                  }
                  if (line.startsWith("service-ready port=")) {
                    synchronized (port) {
                      port[0] = Integer.parseInt(line.substring("service-ready port=".length()));
                      port.notifyAll();
                    }
                  }
                }
              } catch (IOException ignored) {
                // the service ended
              }
            },
            "service-output");
    reader.setDaemon(true);
    reader.start();
    synchronized (port) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (port[0] < 0 && service.isAlive() && System.nanoTime() < deadline) {
        port.wait(100);
      }
    }
    if (port[0] < 0) {
      throw new IllegalStateException("the service did not start:\n" + serviceOutput);
    }
    return port[0];
  }

  public String base() {
    return base;
  }

  public String admin() {
    return admin;
  }

  public String token() {
    return token;
  }

  public String serviceOutput() {
    synchronized (serviceOutput) {
      return serviceOutput.toString();
    }
  }

  /** GET on Nova's listener, as JSON. */
  public JsonNode report() throws Exception {
    return JSON.readTree(get(admin + "/debug/nova").body());
  }

  public HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String url, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public void fault(String name, boolean on) throws Exception {
    HttpResponse<String> r = post(base + "/admin/faults/" + name + "?on=" + on, null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("fault " + name + ": " + r.statusCode() + " " + r.body());
    }
  }

  static int rank(String severity) {
    return List.of("CRITICAL", "HIGH", "MEDIUM", "LOW").indexOf(severity);
  }

  static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  /** Waits for a report that passes; prints a dot a second; null when the time ran out. */
  public JsonNode await(Duration limit, Predicate<JsonNode> until) throws Exception {
    long start = System.nanoTime();
    long lastDot = start;
    while (System.nanoTime() - start < limit.toNanos()) {
      JsonNode r = report();
      if (until.test(r)) {
        return r;
      }
      if (System.nanoTime() - lastDot > 1_000_000_000L) {
        out.print('.');
        out.flush();
        lastDot = System.nanoTime();
      }
      Thread.sleep(250); // polling Nova's report, as an on-call engineer would
    }
    return null;
  }

  /** What one scenario did, for the tests. */
  public record Outcome(
      Scenarios.Scenario scenario,
      JsonNode finding,
      List<String> others,
      int actionStatus,
      JsonNode actionAnswer,
      boolean recovered,
      long detectMillis) {}

  /** Runs one scenario end to end. */
  public Outcome run(Scenarios.Scenario s) throws Exception {
    out.println();
    out.println("== Runbook " + s.runbook() + ": fault '" + s.fault() + "' on");
    java.util.Set<String> before = new java.util.HashSet<>();
    for (JsonNode f : report().get("findings")) {
      before.add(f.get("code").asText()); // still held from an earlier scenario: not this one's
    }
    if (before.contains(s.code())) {
      // still raised by what the last scenario or its remedy did: let it clear, or this scenario
      // would be "found" before its fault did anything
      out.print("   waiting for the " + s.code() + " from before to clear ");
      await(RECOVER, r -> finding(r, s.code()) == null);
      out.println();
    }
    long t0 = System.nanoTime();
    fault(s.fault(), true);
    out.print("   waiting for Nova to raise " + s.code() + " ");
    List<String> others = new ArrayList<>();
    JsonNode seen =
        await(
            DETECT,
            r -> {
              for (JsonNode f : r.get("findings")) {
                String c = f.get("code").asText();
                if (!c.equals(s.code())
                    && !s.alsoAllowed().contains(c)
                    && !before.contains(c)
                    && !others.contains(c)) {
                  others.add(c);
                }
              }
              JsonNode f = finding(r, s.code());
              return f != null
                  && f.get("evidence").toString().contains(s.evidenceMentions())
                  && rank(f.get("severity").asText()) <= rank(s.minSeverity());
            });
    long detect = (System.nanoTime() - t0) / 1_000_000;
    out.println();
    if (seen == null) {
      out.println("   Nova did not raise " + s.code() + " within " + DETECT.toSeconds() + " s");
      fault(s.fault(), false);
      return new Outcome(s, null, others, -1, null, false, detect);
    }
    JsonNode f = finding(seen, s.code());
    out.println("   after " + detect / 1000.0 + " s, GET /debug/nova?format=text says:");
    printFinding(s.code());
    int status = -1;
    JsonNode answer = null;
    if (s.action() != null) {
      out.println("   remediation: POST /debug/nova/actions/" + s.action());
      HttpResponse<String> a = post(admin + "/debug/nova/actions/" + s.action(), token);
      status = a.statusCode();
      answer = JSON.readTree(a.body());
      String compact = JSON.writeValueAsString(answer);
      String shown = compact.length() > 300 ? compact.substring(0, 300) + " ..." : compact;
      out.println("   -> " + status + " " + shown);
    } else {
      out.println("   remediation outside the JVM (the runbook's rollback): the fault goes off");
    }
    fault(s.fault(), false);
    out.print("   waiting for the service to recover (Nova clears " + s.code() + ") ");
    JsonNode clear =
        await(
            RECOVER,
            r -> {
              JsonNode g = finding(r, s.code());
              return g == null
                  || (s.recoveredWhenEmpty() != null
                      && g.get("evidence").path(s.recoveredWhenEmpty()).size() == 0);
            });
    out.println();
    out.println(
        clear != null ? "   recovered" : "   still raised after " + RECOVER.toSeconds() + " s");
    return new Outcome(s, f, others, status, answer, clear != null, detect);
  }

  private void printFinding(String code) throws Exception {
    String text = get(admin + "/debug/nova?format=text").body();
    Iterator<String> lines = text.lines().iterator();
    boolean in = false;
    int shown = 0;
    int scalarsInARow = 0; // a long series (liveMbSeries) shows its first three and "..."
    while (lines.hasNext() && shown < 30) {
      String l = lines.next();
      if (l.contains(code)) {
        in = true;
      } else if (in && !l.startsWith(" ") && !l.isBlank()) {
        in = false;
      }
      if (!in) {
        continue;
      }
      boolean scalarItem = l.trim().startsWith("- ") && !l.contains(": ");
      scalarsInARow = scalarItem ? scalarsInARow + 1 : 0;
      if (scalarsInARow > 4) {
        continue;
      }
      out.println("   | " + (scalarsInARow == 4 ? l.replaceAll("- .*", "...") : l));
      shown++;
    }
  }

  /** Stops the service: stdin closes and it shuts down gracefully. */
  @Override
  public void close() throws java.io.IOException {
    service.getOutputStream().close();
    try {
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    } catch (InterruptedException e) {
      service.destroyForcibly();
      Thread.currentThread().interrupt(); // kept for the caller, not thrown from close
    }
  }

  public int exitCode() {
    return service.isAlive() ? -1 : service.exitValue();
  }
}
