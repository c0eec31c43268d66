package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.FindingCodes;
import dev.nova.core.finding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule file and the dashboard as the agent jar prints them, checked by Prometheus's own tool:
 * {@code promtool check rules}, and {@code promtool test rules} with unit tests of the alerts.
 */
class PrometheusRulesIT {
  @TempDir Path tmp;

  private static String command(String name) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Jdks.agentJar().toString(),
                name)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(name + " exit code").isZero();
    return out;
  }

  /** The annotations the rules give an alert of this code and band, for {@code instance}. */
  private static String annotations(String code, Severity s, String instance, String indent) {
    FindingCodes.Code c = FindingCodes.of(code).orElseThrow();
    String remedy =
        "POST /debug/nova/actions/"
            + String.join(" or ", c.actions())
            + " (bearer token), dry run first";
    return indent
        + "summary: \""
        + code
        + " "
        + s
        + " on "
        + instance
        + ": "
        + c.about().replace("\"", "\\\"")
        + "\"\n"
        + indent
        + "runbook_scenario: \""
        + c.scenario()
        + "\"\n"
        + indent
        + "remedy: \""
        + remedy
        + "\"\n"
        + indent
        + "escalation: \""
        + FindingCodes.ESCALATION.get(s)
        + "\"\n"
        + indent
        + "report: \"curl http://"
        + instance
        + "/debug/nova\"\n";
  }

  private static String alert(String code, Severity s, String instance) {
    return "          - exp_labels:\n"
        + "              alertname: NovaFinding\n"
        + "              instance: \""
        + instance
        + "\"\n"
        + "              job: nova\n"
        + "              code: "
        + code
        + "\n"
        + "              severity: "
        + s.name().toLowerCase(Locale.ROOT)
        + "\n"
        + "            exp_annotations:\n"
        + annotations(code, s, instance, "              ");
  }

  @Test
  void theRulesPassPromtoolAndFireTheRightBandAfterItsFor() throws Exception {
    FleetTools.require(FleetTools.PROMTOOL);
    String rules = command("prometheus-rules");
    assertThat(rules).contains("alert: NovaFinding").contains("nova_finding_severity");
    Files.writeString(tmp.resolve("rules.yml"), rules);
    FleetTools.Result check =
        FleetTools.run(List.of(FleetTools.PROMTOOL.toString(), "check", "rules", "rules.yml"), tmp);
    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output())
        .contains("SUCCESS: " + (FindingCodes.all().size() * 4 + 5) + " rules found");

    String i = "shop:9311";
    String test =
        "rule_files: [rules.yml]\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + "      - series: 'nova_finding_severity{instance=\""
            + i
            + "\",job=\"nova\",code=\"DB_CONNECTION_LEAK\"}'\n"
            + "        values: '0 0 3 3 3 3 3 3 0 0 0'\n"
            + "      - series: 'nova_finding_severity{instance=\""
            + i
            + "\",job=\"nova\",code=\"HEAP_GROWTH\"}'\n"
            + "        values: '0 4 4 4 4 4 4 4 4 4 4'\n"
            + "      - series: 'nova_finding_severity{instance=\""
            + i
            + "\",job=\"nova\",code=\"HTTP_SLOW\"}'\n"
            + "        values: '0 0 0 0 0 0 0 0 0 0 0'\n"
            + "      - series: 'nova_http_request_duration_seconds_count{instance=\""
            + i
            + "\",job=\"nova\",route=\"/orders\"}'\n"
            + "        values: '0+100x20'\n"
            + "      - series: 'nova_http_errors_total{instance=\""
            + i
            + "\",job=\"nova\",route=\"/orders\"}'\n"
            + "        values: '0+10x20'\n"
            + "    alert_rule_test:\n"
            // 3 since 2m: HIGH is pending until its 2m have passed; CRITICAL (1m) already fires
            + "      - eval_time: 3m\n"
            + "        alertname: NovaFinding\n"
            + "        exp_alerts:\n"
            + alert("HEAP_GROWTH", Severity.CRITICAL, i)
            + "      - eval_time: 5m\n"
            + "        alertname: NovaFinding\n"
            + "        exp_alerts:\n"
            + alert("DB_CONNECTION_LEAK", Severity.HIGH, i)
            + alert("HEAP_GROWTH", Severity.CRITICAL, i)
            // cleared at 8m: only the heap's alert is left
            + "      - eval_time: 10m\n"
            + "        alertname: NovaFinding\n"
            + "        exp_alerts:\n"
            + alert("HEAP_GROWTH", Severity.CRITICAL, i)
            // 10% of requests answered 5xx: the runbook's HIGH band, not MEDIUM
            + "      - eval_time: 12m\n"
            + "        alertname: NovaHttpErrorRate\n"
            + "        exp_alerts:\n"
            + "          - exp_labels:\n"
            + "              alertname: NovaHttpErrorRate\n"
            + "              instance: \""
            + i
            + "\"\n"
            + "              job: nova\n"
            + "              severity: high\n"
            + "            exp_annotations:\n"
            + "              summary: \"over 5% of HTTP requests answered 5xx on "
            + i
            + "\"\n"
            + "              runbook_scenario: \"1: API service degradation\"\n"
            + "              value: \"10%\"\n";
    Files.writeString(tmp.resolve("rules_test.yml"), test);
    FleetTools.Result unit =
        FleetTools.run(
            List.of(FleetTools.PROMTOOL.toString(), "test", "rules", "rules_test.yml"), tmp);
    assertThat(unit.code()).as(unit.output() + "\n" + test).isZero();
    assertThat(unit.output()).contains("SUCCESS");
  }

  @Test
  void twoVersionsSideBySideOneFailingIsADeployRegressionAndTheHealthyOneIsNot() throws Exception {
    FleetTools.require(FleetTools.PROMTOOL);
    Files.writeString(tmp.resolve("rules.yml"), command("prometheus-rules"));
    String info = "nova_info{job=\"orders\",mode=\"agent\",nova=\"0.1\",";
    String test =
        "rule_files: [rules.yml]\n"
            + "evaluation_interval: 1m\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + "      - series: '"
            + info
            + "instance=\"a:9311\",version=\"1.4\"}'\n"
            + "        values: '1x20'\n"
            + "      - series: '"
            + info
            + "instance=\"b:9311\",version=\"1.5\"}'\n"
            + "        values: '1x20'\n"
            // the old version: 100 requests a minute, never a 5xx (so no error series at all)
            + "      - series: 'nova_http_request_duration_seconds_count{instance=\"a:9311\","
            + "job=\"orders\",route=\"/orders\",status=\"200\"}'\n"
            + "        values: '0+100x20'\n"
            // the new one: 90 good and 10 failing a minute
            + "      - series: 'nova_http_request_duration_seconds_count{instance=\"b:9311\","
            + "job=\"orders\",route=\"/orders\",status=\"200\"}'\n"
            + "        values: '0+90x20'\n"
            + "      - series: 'nova_http_request_duration_seconds_count{instance=\"b:9311\","
            + "job=\"orders\",route=\"/orders\",status=\"500\"}'\n"
            + "        values: '0+10x20'\n"
            + "      - series: 'nova_http_errors_total{instance=\"b:9311\",job=\"orders\","
            + "route=\"/orders\",status=\"500\"}'\n"
            + "        values: '0+10x20'\n"
            + "    alert_rule_test:\n"
            + "      - eval_time: 3m\n" // pending: its for: is 5m
            + "        alertname: NovaDeployRegression\n"
            + "        exp_alerts: []\n"
            + "      - eval_time: 12m\n"
            + "        alertname: NovaDeployRegression\n"
            + "        exp_alerts:\n"
            + "          - exp_labels:\n"
            + "              alertname: NovaDeployRegression\n"
            + "              job: orders\n"
            + "              version: \"1.5\"\n"
            + "              severity: high\n"
            + "              signal: errors\n"
            + "            exp_annotations:\n"
            + "              summary: \"version 1.5 of orders answers 10% 5xx (over 5%) while"
            + " another running version answers under 0.1%: roll back, fix forward or canary\"\n"
            + "              runbook_scenario: \"Deployment: high error rate after deployment\"\n";
    Files.writeString(tmp.resolve("deploy_test.yml"), test);
    FleetTools.Result unit =
        FleetTools.run(
            List.of(FleetTools.PROMTOOL.toString(), "test", "rules", "deploy_test.yml"), tmp);
    assertThat(unit.code()).as(unit.output() + "\n" + test).isZero();
  }

  @Test
  void theDashboardIsJsonWithAPanelForEverySignalTheIssueNames() throws Exception {
    String dashboard = command("grafana-dashboard");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard);
    assertThat(json.get("uid").asText()).isEqualTo("nova-findings");
    StringBuilder exprs = new StringBuilder();
    for (var p : json.get("panels")) {
      assertThat(p.get("targets").size()).isPositive();
      for (var t : p.get("targets")) {
        exprs.append(t.get("expr").asText()).append('\n');
      }
    }
    assertThat(exprs.toString())
        .contains("nova_finding_severity")
        .contains("nova_http_request_duration_seconds_count")
        .contains("nova_http_errors_total")
        .contains("nova_http_request_duration_seconds_bucket")
        .contains("websocket_connections")
        .contains("websocket_disconnects_total")
        .contains("nova_pool_active")
        .contains("nova_pool_waiting")
        .contains("nova_heap_after_gc_bytes")
        .contains("nova_gc_time_seconds_total")
        .contains("nova_threads_live");
  }
}
