package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The autopilot on a payments service that knows nothing of Nova ({@code app.RefundsHost}: HikariCP
 * over H2, a refund path that leaks a connection every 3 s from a pool of 4, checkouts every 50
 * ms): nobody calls an action, and the rule keeps the pool serving; in dry run nothing changes; a
 * rule that cannot help stops; refused rules are reported and never run.
 */
class AutopilotAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "autopilot-token";
  static final Pattern CHECKOUTS = Pattern.compile("checkouts ok=(\\d+) failed=(\\d+)");
  static final String LEAK_RULE = "autopilot=DB_CONNECTION_LEAK=connection-close-leaked";

  @TempDir Path tmp;
  private Path portFile;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private ForkedJvm host(Jdks.Jdk jdk, String mode, String options) throws Exception {
    portFile = tmp.resolve("port");
    return ForkedJvm.start(
        jdk.home(),
        List.of(
            "-javaagent:"
                + Jdks.agentJar()
                + "=token="
                + TOKEN
                + ",port=0,detect.interval=500ms,jdbc.leakThreshold=2s,findings.hold=2s,portFile="
                + portFile
                + (options.isEmpty() ? "" : "," + options),
            "-cp",
            Jdks.hostClassPath()
                + java.io.File.pathSeparator
                + System.getProperty("nova.host.libs"),
            "app.RefundsHost",
            mode));
  }

  private Http admin(ForkedJvm jvm) {
    jvm.awaitStdout("host-ready", WAIT);
    return new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
  }

  /** A list the autopilot kept, or its size where it kept only that (over five entries). */
  private static int count(JsonNode listOrSize) {
    return listOrSize.isNumber() ? listOrSize.asInt() : listOrSize.size();
  }

  /** The host's totals {ok, failed}, from its latest line. */
  private static long[] checkouts(ForkedJvm jvm) {
    Matcher m = CHECKOUTS.matcher(jvm.stdout());
    long[] last = {0, 0};
    while (m.find()) {
      last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
    return last;
  }

  /** The share of checkouts that succeeded over {@code period}, watched from now. */
  private static double successOver(ForkedJvm jvm, Duration period) throws InterruptedException {
    long[] from = checkouts(jvm);
    Thread.sleep(period.toMillis()); // the period measured, not a stand-in for a condition
    long[] to = checkouts(jvm);
    long ok = to[0] - from[0];
    long failed = to[1] - from[1];
    assertThat(ok + failed).as("checkouts made").isPositive();
    return (double) ok / (ok + failed);
  }

  private static List<JsonNode> runs(Http http) {
    List<JsonNode> out = new ArrayList<>();
    http.get("/debug/nova").json().get("autopilot").get("runs").forEach(out::add);
    return out;
  }

  private static JsonNode autopilotAudit(Http http) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : http.get("/debug/nova").json().get("agent").get("audit")) {
      if (a.get("caller").asText().equals("autopilot")) {
        out.add(a);
      }
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(out);
  }

  @Test
  void withoutTheAutopilotTheLeakExhaustsThePoolForGood() throws Exception {
    try (ForkedJvm jvm = host(Jdks.all().get(0), "leak", "")) {
      Http http = admin(jvm);
      jvm.await("checkouts failing", WAIT, () -> checkouts(jvm)[1] > 0);
      assertThat(successOver(jvm, Duration.ofSeconds(15))).isLessThan(0.2);
      assertThat(runs(http)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void theRuleKeepsThePoolServingWithNobodyCallingAnAction(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm = host(jdk, "leak", LEAK_RULE + ",autopilot.mode=on,autopilot.every=5s")) {
      Http http = admin(jvm);
      assertThat(successOver(jvm, Duration.ofSeconds(60))).isGreaterThanOrEqualTo(0.8);

      List<JsonNode> runs = runs(http);
      assertThat(runs.size()).isGreaterThanOrEqualTo(5);
      assertThat(runs).allSatisfy(r -> assertThat(r.get("mode").asText()).isEqualTo("on"));
      assertThat(runs)
          .filteredOn(r -> r.get("outcome").asText().equals("helped"))
          .hasSizeGreaterThanOrEqualTo(3);
      JsonNode first = runs.get(runs.size() - 1);
      assertThat(first.get("code").asText()).isEqualTo("DB_CONNECTION_LEAK");
      assertThat(first.get("params").get("olderThan").asText()).isEqualTo("2000ms");
      assertThat(count(first.get("result").get("closed"))).isPositive();

      // the finding, whenever it is raised again, says it keeps coming back and names the frame
      JsonNode[] seen = new JsonNode[1];
      jvm.await(
          "DB_CONNECTION_LEAK marked recurring",
          WAIT,
          () -> {
            for (JsonNode f : http.get("/debug/nova").json().get("findings")) {
              if (f.get("code").asText().equals("DB_CONNECTION_LEAK")
                  && f.get("evidence").has("autopilot")
                  && f.get("evidence").get("autopilot").get("recurring").asBoolean()) {
                seen[0] = f;
                return true;
              }
            }
            return false;
          });
      assertThat(seen[0].get("where").asText()).startsWith("app.RefundsHost$Refunds.refund(");
      assertThat(seen[0].get("evidence").get("autopilot").get("note").asText())
          .contains("app.RefundsHost$Refunds.refund(");

      JsonNode audit = autopilotAudit(http);
      assertThat(audit.size()).isPositive();
      assertThat(audit.get(0).get("action").asText()).isEqualTo("connection-close-leaked");
      assertThat(audit.get(0).get("status").asInt()).isEqualTo(200);
      String metrics = http.get("/debug/nova/metrics").body();
      assertThat(metrics)
          .containsPattern(
              "nova_autopilot_runs_total\\{[^}]*action=\"connection-close-leaked\""
                  + "[^}]*code=\"DB_CONNECTION_LEAK\"[^}]*outcome=\"helped\"[^}]*\\} [1-9]");
      assertThat(jvm.stderr() + jvm.stdout())
          .contains("autopilot ran DB_CONNECTION_LEAK connection-close-leaked");
    }
  }

  @Test
  void aDryRunClosesNothingAndRecordsWhatItWouldHaveDone() throws Exception {
    try (ForkedJvm jvm = host(Jdks.all().get(0), "leak", LEAK_RULE + ",autopilot.every=3s")) {
      Http http = admin(jvm);
      jvm.await("checkouts failing", WAIT, () -> checkouts(jvm)[1] > 0);
      assertThat(successOver(jvm, Duration.ofSeconds(15))).isLessThan(0.2);
      List<JsonNode> runs = runs(http);
      assertThat(runs.size()).isGreaterThanOrEqualTo(3);
      for (JsonNode r : runs) {
        assertThat(r.get("mode").asText()).isEqualTo("dry-run");
        assertThat(r.get("outcome").asText()).isEqualTo("dry-run");
        assertThat(r.get("result").has("wouldClose")).isTrue();
      }
      assertThat(count(runs.get(0).get("result").get("wouldClose"))).isGreaterThanOrEqualTo(3);
      JsonNode audit = autopilotAudit(http);
      assertThat(audit.size()).isEqualTo(runs.size());
      assertThat(audit.get(0).get("params").get("dryRun").asText()).isEqualTo("true");
      JsonNode pool = http.get("/debug/nova").json().get("signals").get("jdbc");
      assertThat(pool.toString()).contains("\"payments\"");
    }
  }

  @Test
  void aRuleThatCannotHelpStopsAndRefusedRulesAreReportedAndNeverRun() throws Exception {
    String rules =
        "autopilot=DB_POOL_SATURATED=connection-close-leaked;HEAP_GROWTH=heap-dump;"
            + "NOT_A_CODE=pool-reset;DB_SLOW_QUERY=pool-reset";
    try (ForkedJvm jvm =
        host(Jdks.all().get(0), "slow", rules + ",autopilot.mode=on,autopilot.every=3s")) {
      Http http = admin(jvm);
      JsonNode report = http.get("/debug/nova").json();
      List<String> problems = new ArrayList<>();
      report.get("config").get("problems").forEach(p -> problems.add(p.asText()));
      assertThat(problems)
          .anyMatch(p -> p.contains("HEAP_GROWTH=heap-dump"))
          .anyMatch(p -> p.contains("NOT_A_CODE=pool-reset"))
          .anyMatch(p -> p.contains("DB_SLOW_QUERY=pool-reset"));
      assertThat(jvm.stderr()).contains("HEAP_GROWTH=heap-dump' refused");
      assertThat(report.get("autopilot").get("rules").size()).isEqualTo(1);

      jvm.await(
          "the rule stopped",
          WAIT,
          () ->
              http.get("/debug/nova")
                  .json()
                  .get("autopilot")
                  .get("rules")
                  .get(0)
                  .get("state")
                  .asText()
                  .equals("stopped"));
      List<JsonNode> runs = runs(http);
      assertThat(runs).hasSize(3);
      for (JsonNode r : runs) {
        assertThat(r.get("code").asText()).isEqualTo("DB_POOL_SATURATED");
        assertThat(r.get("outcome").asText()).isEqualTo("not-helped");
        assertThat(r.get("params").get("pool").asText()).isEqualTo("payments");
      }
      // by the last run the four reports were past jdbc.leakThreshold: busy, so left alone
      assertThat(count(runs.get(0).get("result").get("skipped"))).isEqualTo(4);
      assertThat(count(runs.get(0).get("result").get("closed"))).isZero();
      JsonNode saturated = null;
      for (JsonNode f : http.get("/debug/nova").json().get("findings")) {
        if (f.get("code").asText().equals("DB_POOL_SATURATED")) {
          saturated = f;
        }
      }
      assertThat(saturated).isNotNull();
      assertThat(saturated.get("evidence").get("autopilot").get("stopped").asText())
          .contains("did not help");
      assertThat(jvm.stderr() + jvm.stdout()).contains("autopilot stopped rule DB_POOL_SATURATED");
    }
  }
}
