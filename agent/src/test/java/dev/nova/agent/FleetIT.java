package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nova's findings through the engines a fleet runs, all of them real: Debian's Prometheus scrapes a
 * forked HikariCP host under the agent and evaluates the rules {@code prometheus-rules} printed;
 * Debian's Alertmanager routes what fires to a webhook receiver in this test; and the agent's own
 * push reaches the same Alertmanager for services whose Prometheus has no rules.
 */
class FleetIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String TOKEN = "fleet-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final List<Process> engines = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : engines) {
      p.destroy();
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
    for (Process p : engines) {
      p.waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A webhook receiver as Alertmanager's docs describe one: every POST kept, 200 answered. */
  private int webhook() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          notifications.add(JSON.readTree(body));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    closing.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  private Process engine(String name, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile())
            .start();
    engines.add(p);
    return p;
  }

  private String log(String name) {
    try {
      return Files.readString(tmp.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void ready(String name, int port) {
    Http http = new Http(port);
    dev.nova.testing.Poll.until(
        name + " ready on " + port + "\n" + log(name),
        WAIT,
        () -> {
          try {
            return http.get("/-/ready").status() == 200;
          } catch (RuntimeException | AssertionError e) {
            return false; // not listening yet
          }
        });
  }

  /** Alertmanager on a free port, grouping nothing and routing everything to the webhook. */
  private int alertmanager(int hook) throws IOException {
    int port = freePort();
    Files.writeString(
        tmp.resolve("alertmanager.yml"),
        "route:\n"
            + "  receiver: test\n"
            + "  group_by: ['...']\n"
            + "  group_wait: 1s\n"
            + "  group_interval: 1s\n"
            + "  repeat_interval: 1h\n"
            + "receivers:\n"
            + "  - name: test\n"
            + "    webhook_configs:\n"
            + "      - url: http://127.0.0.1:"
            + hook
            + "/hook\n"
            + "        send_resolved: true\n");
    Files.createDirectories(tmp.resolve("am-data"));
    engine(
        "alertmanager",
        List.of(
            FleetTools.ALERTMANAGER.toString(),
            "--config.file=alertmanager.yml",
            "--storage.path=am-data",
            "--web.listen-address=127.0.0.1:" + port,
            "--cluster.listen-address="));
    ready("alertmanager", port);
    return port;
  }

  /** The HikariCP host under the agent, commands on its stdin. */
  private ForkedJvm host(String options, Path portFile) throws IOException {
    ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=100ms,jdbc.leakThreshold=1s,findings.hold=1s,portFile="
                    + portFile
                    + (options.isEmpty() ? "" : "," + options),
                "-cp",
                Jdks.hostClassPath()
                    + java.io.File.pathSeparator
                    + System.getProperty("nova.host.libs"),
                "app.JdbcHost",
                "orders",
                "jdbc:h2:mem:fleet;DB_CLOSE_DELAY=-1"));
    closing.add(jvm);
    jvm.awaitStdout("host-ready", WAIT);
    return jvm;
  }

  private static void send(ForkedJvm jvm, String command) throws IOException {
    OutputStream in = jvm.process().getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    jvm.await("'" + command + "' done", WAIT, () -> jvm.stdout().contains("done " + command));
  }

  /** Webhook notifications of this status for the leak's alert so far. */
  private long notified(String alertname, String status) {
    return notifications.stream()
        .filter(n -> n.get("status").asText().equals(status))
        .flatMap(n -> java.util.stream.StreamSupport.stream(n.get("alerts").spliterator(), false))
        .filter(
            a ->
                a.get("labels").path("alertname").asText().equals(alertname)
                    && a.get("labels").path("code").asText().equals("DB_CONNECTION_LEAK")
                    && a.get("status").asText().equals(status))
        .count();
  }

  @Test
  void prometheusScrapesTheLeakTheRuleFiresAlertmanagerRoutesItAndItResolves() throws Exception {
    FleetTools.require(FleetTools.PROMETHEUS, FleetTools.PROMTOOL, FleetTools.ALERTMANAGER);
    int am = alertmanager(webhook());
    Path portFile = tmp.resolve("port");
    ForkedJvm jvm = host("", portFile);
    int admin = Integer.parseInt(jvm.awaitFile(portFile, WAIT));
    Http nova = new Http(admin);
    for (int i = 0; i < 20; i++) {
      send(jvm, "query select 1");
    }
    send(jvm, "keep");

    // the endpoint Prometheus scrapes, checked by Prometheus's own linter on a busy host
    Files.writeString(tmp.resolve("metrics.txt"), nova.get("/debug/nova/metrics").body());
    FleetTools.Result lint =
        FleetTools.run(
            List.of("sh", "-c", FleetTools.PROMTOOL + " check metrics < metrics.txt"), tmp);
    assertThat(lint.code()).as(lint.output()).isZero();
    assertThat(lint.output()).isEmpty();

    Process rules =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Jdks.agentJar().toString(),
                "prometheus-rules",
                "--for",
                "2s")
            .redirectOutput(tmp.resolve("rules.yml").toFile())
            .start();
    assertThat(rules.waitFor()).isZero();
    int prom = freePort();
    Files.writeString(
        tmp.resolve("prometheus.yml"),
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "rule_files: [rules.yml]\n"
            + "alerting:\n"
            + "  alertmanagers:\n"
            + "    - static_configs:\n"
            + "        - targets: ['127.0.0.1:"
            + am
            + "']\n"
            + "scrape_configs:\n"
            + "  - job_name: nova\n"
            + "    metrics_path: /debug/nova/metrics\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + admin
            + "']\n");
    Files.createDirectories(tmp.resolve("prom-data"));
    engine(
        "prometheus",
        List.of(
            FleetTools.PROMETHEUS.toString(),
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=prom-data",
            "--web.listen-address=127.0.0.1:" + prom));
    ready("prometheus", prom);
    Http prometheus = new Http(prom);

    JsonNode[] firing = new JsonNode[1];
    dev.nova.testing.Poll.until(
        "NovaFinding DB_CONNECTION_LEAK firing in Prometheus\n" + log("prometheus"),
        WAIT,
        () -> {
          for (JsonNode a : prometheus.get("/api/v1/alerts").json().get("data").get("alerts")) {
            if (a.get("labels").path("code").asText().equals("DB_CONNECTION_LEAK")
                && a.get("state").asText().equals("firing")) {
              firing[0] = a;
              return true;
            }
          }
          return false;
        });
    // every query of the generated dashboard is one this Prometheus accepts
    Process dash =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Jdks.agentJar().toString(),
                "grafana-dashboard")
            .start();
    JsonNode dashboard = JSON.readTree(dash.getInputStream().readAllBytes());
    assertThat(dash.waitFor()).isZero();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode t : panel.get("targets")) {
        String expr = t.get("expr").asText().replace("$instance", ".*");
        JsonNode answer =
            prometheus
                .get(
                    "/api/v1/query?query="
                        + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8))
                .json();
        assertThat(answer.get("status").asText()).as(expr + " -> " + answer).isEqualTo("success");
        queries++;
      }
    }
    assertThat(queries).isGreaterThanOrEqualTo(11);
    assertThat(firing[0].get("labels").get("alertname").asText()).isEqualTo("NovaFinding");
    assertThat(firing[0].get("labels").get("severity").asText()).isEqualTo("medium");
    assertThat(firing[0].get("annotations").get("remedy").asText())
        .contains("connection-close-leaked");
    dev.nova.testing.Poll.until(
        "the alert routed to the webhook\n" + log("alertmanager"),
        WAIT,
        () -> notified("NovaFinding", "firing") > 0);

    JsonNode closed =
        nova.post("/debug/nova/actions/connection-close-leaked?olderThan=1s", TOKEN).json();
    assertThat(closed.toString()).contains("closed");
    dev.nova.testing.Poll.until(
        "the resolved alert at the webhook\n" + log("alertmanager"),
        WAIT,
        () -> notified("NovaFinding", "resolved") > 0);
    assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
  }

  @Test
  void theAgentPushesToARealAlertmanagerAndCountsOneThatIsDown() throws Exception {
    FleetTools.require(FleetTools.ALERTMANAGER);
    int am = alertmanager(webhook());
    int down = freePort(); // nothing listens there
    Path portFile = tmp.resolve("port");
    ForkedJvm jvm =
        host(
            "alertmanager=http://127.0.0.1:"
                + am
                + ";http://127.0.0.1:"
                + down
                + ",alertmanager.interval=1s,incident.on=medium,incident.recording=none,incident.dir="
                + tmp.resolve("incidents")
                + ",autopilot=DB_CONNECTION_LEAK=connection-close-leaked,autopilot.every=1s",
            portFile);
    Http nova = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
    send(jvm, "keep");
    dev.nova.testing.Poll.until(
        "the pushed alert routed to the webhook\n" + log("alertmanager"),
        WAIT,
        () -> notified("NovaFinding", "firing") > 0);
    JsonNode alert =
        notifications.stream()
            .flatMap(
                n -> java.util.stream.StreamSupport.stream(n.get("alerts").spliterator(), false))
            .filter(a -> a.get("labels").path("code").asText().equals("DB_CONNECTION_LEAK"))
            .findFirst()
            .orElseThrow();
    assertThat(alert.get("labels").get("severity").asText()).isEqualTo("medium");
    assertThat(alert.get("labels").get("job").asText()).isEqualTo("nova");
    assertThat(alert.get("labels").get("instance").asText()).endsWith(":" + jvm.process().pid());
    assertThat(alert.get("annotations").get("summary").asText()).contains("held");
    assertThat(alert.get("annotations").get("where").asText())
        .startsWith("app.JdbcHost.keepOne(JdbcHost.java:");
    // the bundle written as the finding was raised (incident.on=medium here) is named
    String bundle = alert.get("annotations").get("incident").asText();
    assertThat(bundle).matches("incident-\\d{8}T\\d{6}Z-DB_CONNECTION_LEAK\\.zip");
    dev.nova.testing.Poll.until(
        "the bundle " + bundle + " listed",
        WAIT,
        () -> nova.get("/debug/nova/incidents").body().contains(bundle));
    assertThat(alert.get("generatorURL").asText()).endsWith("/debug/nova");
    // the autopilot's rule (a dry run here, so the leak stays) is in the alert Alertmanager holds
    Http amApi = new Http(am);
    dev.nova.testing.Poll.until(
        "the autopilot annotation in Alertmanager's alert\n" + log("alertmanager"),
        WAIT,
        () -> amApi.get("/api/v2/alerts").body().contains("connection-close-leaked (dry run) at "));

    JsonNode targets =
        nova.get("/debug/nova").json().get("agent").get("alertmanager").get("targets");
    assertThat(targets.get(0).get("sent").asLong()).isPositive();
    assertThat(targets.get(1).get("failures").asLong()).isPositive();
    assertThat(targets.get(1).get("lastError").asText()).contains("Connect");

    nova.post("/debug/nova/actions/connection-close-leaked?olderThan=1s", TOKEN);
    dev.nova.testing.Poll.until(
        "the resolved push at the webhook\n" + log("alertmanager"),
        WAIT,
        () -> notified("NovaFinding", "resolved") > 0);
    assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
  }

  @Test
  void aPrometheusThatStopsScrapingAndAHostMetricsRouteThatFailsAreMetricsMissing()
      throws Exception {
    FleetTools.require(FleetTools.PROMETHEUS);
    Path portFile = tmp.resolve("port");
    ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=port=0,detect.interval=200ms,portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.JdkHttpHost"));
    closing.add(jvm);
    jvm.awaitStdout("host-ready", WAIT);
    String out = jvm.stdout();
    int service =
        Integer.parseInt(
            out.substring(out.indexOf("host-ready port=") + 16).trim().split("\\s")[0]);
    int admin = Integer.parseInt(jvm.awaitFile(portFile, WAIT));
    Http nova = new Http(admin);
    int prom = freePort();
    Files.writeString(
        tmp.resolve("prometheus.yml"),
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: nova\n"
            + "    metrics_path: /debug/nova/metrics\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + admin
            + "']\n"
            + "  - job_name: host\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + service
            + "']\n"
            + "  - job_name: host-actuator\n"
            + "    metrics_path: /actuator/prometheus\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + service
            + "']\n");
    Files.createDirectories(tmp.resolve("prom-data"));
    Process prometheus =
        engine(
            "prometheus",
            List.of(
                FleetTools.PROMETHEUS.toString(),
                "--config.file=prometheus.yml",
                "--storage.tsdb.path=prom-data",
                "--web.listen-address=127.0.0.1:" + prom));
    ready("prometheus", prom);

    JsonNode[] failing = new JsonNode[1];
    dev.nova.testing.Poll.until(
        "METRICS_MISSING for the host's failing /metrics\n" + log("prometheus"),
        WAIT,
        () -> (failing[0] = missing(nova, "failing", "the host's /metrics")) != null);
    assertThat(failing[0].get("evidence").get("endpoint").asText())
        .isEqualTo("the host's /metrics");
    assertThat(failing[0].get("evidence").get("recentStatuses").toString()).contains("500");
    assertThat(failing[0].get("severity").asText()).isEqualTo("LOW");
    JsonNode[] empty = new JsonNode[1];
    dev.nova.testing.Poll.until(
        "METRICS_MISSING for the host's empty /actuator/prometheus",
        WAIT,
        () -> (empty[0] = missing(nova, "empty", "the host's /actuator/prometheus")) != null);
    assertThat(empty[0].get("title").asText()).contains("answering an empty body");
    assertThat(missing(nova, "stopped", "Nova's /debug/nova/metrics"))
        .as("Nova's own endpoint is scraped")
        .isNull();
    dev.nova.testing.Poll.until(
        "Nova's endpoint scraped steadily",
        WAIT,
        () ->
            nova.get("/debug/nova")
                    .json()
                    .get("signals")
                    .get("metrics")
                    .get("novaEndpoint")
                    .get("scrapesSeen")
                    .asInt()
                >= 5);

    prometheus.destroy();
    prometheus.waitFor();
    JsonNode[] stopped = new JsonNode[1];
    dev.nova.testing.Poll.until(
        "METRICS_MISSING once Prometheus stopped",
        WAIT,
        () -> (stopped[0] = missing(nova, "stopped", "Nova's /debug/nova/metrics")) != null);
    JsonNode e = stopped[0].get("evidence");
    assertThat(stopped[0].get("title").asText())
        .startsWith("Nova's /debug/nova/metrics no longer scraped");
    assertThat(e.get("scrapers").toString()).contains("127.0.0.1");
    assertThat(e.get("intervalSeconds").asDouble()).isBetween(0.5, 2.0);
    assertThat(e.get("secondsSinceLastScrape").asLong()).isGreaterThanOrEqualTo(2);
  }

  /** The METRICS_MISSING finding with this problem, or null. */
  private static JsonNode missing(Http nova, String problem, String endpoint) {
    for (JsonNode f : nova.get("/debug/nova").json().get("findings")) {
      if (f.get("code").asText().equals("METRICS_MISSING")
          && f.get("evidence").get("problem").asText().equals(problem)
          && f.get("evidence").get("endpoint").asText().equals(endpoint)) {
        return f;
      }
    }
    return null;
  }

  @Test
  void aMalformedAlertmanagerUrlIsAConfigProblemAndTheHostRuns() throws Exception {
    Path portFile = tmp.resolve("port");
    ForkedJvm jvm = host("alertmanager=not a url", portFile);
    Http nova = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
    JsonNode report = nova.get("/debug/nova").json();
    assertThat(report.get("config").get("problems").toString())
        .contains("alertmanager")
        .contains("'not a url'");
    assertThat(report.get("agent").get("alertmanager").get("status").asText()).startsWith("off");
    send(jvm, "query select 1");
  }
}
