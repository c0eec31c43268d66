package dev.nova.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.Nova;
import dev.nova.core.config.Option;
import dev.nova.core.config.Options;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.meter.Meters;
import dev.nova.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reference tables under {@code docs/} are rendered from the code: the options from {@link
 * Options#ALL}, the finding codes from {@link FindingCode}, the actions from what a started Nova
 * registers (their parameters as {@code GET /debug/nova/actions} lists them), the meters from
 * {@link Meters}. Each sits between {@code <!-- generated: NAME -->} and {@code <!-- end generated
 * -->}; a page that differs fails here with the table it should hold. {@code mvn -pl core test
 * -Dtest=ReferenceDocsTest -Dnova.docs.write=true} writes them.
 */
class ReferenceDocsTest {
  static final Path DOCS = Path.of("..", "docs");
  static final boolean WRITE = Boolean.getBoolean("nova.docs.write");

  @Test
  void configurationPageListsEveryOption() throws IOException {
    check("configuration.md", "options", options());
  }

  @Test
  void findingsPageListsEveryCode() throws IOException {
    check("findings.md", "findings", findings());
  }

  @Test
  void endpointsPageListsEveryActionNovaRegisters() throws IOException {
    try (Nova nova = Nova.builder().option("port", "0").option("jfr", "false").start()) {
      JsonNode actions =
          new Http(nova.address().orElseThrow().getPort()).get("/debug/nova/actions").json();
      Set<String> registered = new TreeSet<>();
      actions.path("actions").forEach(a -> registered.add(a.path("name").asText()));
      assertThat(registered)
          .as("every action has its name in ActionNames, and every name there is registered")
          .isEqualTo(new TreeSet<>(ActionNames.all()));
      check("endpoints.md", "actions", actions(actions));
    }
  }

  @Test
  void autopilotPageListsEveryRemedyAndEveryActionItRefuses() throws IOException {
    StringBuilder b =
        new StringBuilder(
            "| finding | action | parameters from the finding | helped when it falls |\n"
                + "|---|---|---|---|\n");
    for (dev.nova.core.autopilot.Remedies.Remedy r : dev.nova.core.autopilot.Remedies.all()) {
      b.append("| `")
          .append(r.code().code())
          .append("` | `")
          .append(r.action())
          .append("` | ")
          .append(cell(r.paramsText()))
          .append(" | `")
          .append(r.figure())
          .append("`: ")
          .append(cell(r.figureText()))
          .append(" |\n");
    }
    check("autopilot.md", "remedies", b.toString());
    StringBuilder n = new StringBuilder("| action | why no rule runs it |\n|---|---|\n");
    dev.nova.core.autopilot.Remedies.never()
        .forEach(
            (a, why) -> n.append("| `").append(a).append("` | ").append(cell(why)).append(" |\n"));
    check("autopilot.md", "never", n.toString());
  }

  @Test
  void metricsPageListsEveryMeter() throws IOException {
    check("metrics.md", "meters", meters());
  }

  @Test
  void everySeriesNovaServesIsAMeterOfTheList() {
    Set<String> known = new TreeSet<>();
    for (Meters.Meter m : Meters.all()) {
      known.add(m.prometheus());
    }
    try (Nova nova = Nova.builder().option("port", "0").option("jfr", "false").start()) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      http.get("/debug/nova"); // an admin request, so its counter is there
      String text = http.get("/debug/nova/metrics").body();
      Set<String> served = new TreeSet<>();
      Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(text);
      while (m.find()) {
        String name = m.group(1);
        boolean listed =
            known.contains(name)
                || known.contains(name + "_total")
                || (name.endsWith("_max") && known.contains(name.substring(0, name.length() - 4)));
        if (!listed) {
          served.add(name);
        }
      }
      assertThat(text).contains("# TYPE ");
      assertThat(served).as("series served that Meters does not list").isEmpty();
    }
  }

  /**
   * The README's host table names the versions the build tests against (the parent pom's
   * properties): a version bumped in the pom and not on the front door fails here.
   */
  @Test
  void readmeHostTableNamesTheVersionsTheBuildTests() throws IOException {
    String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    String hosts = readme.substring(readme.indexOf("## Hosts"));
    for (String property :
        List.of(
            "netty.version",
            "netty41.version",
            "tomcat9.version",
            "tomcat10.version",
            "tomcat11.version",
            "jetty9.version",
            "jetty12.version",
            "undertow.version",
            "spring-boot3.version")) {
      String version = property(pom, property).replaceAll("^(\\d+\\.\\d+\\.\\d+).*", "$1");
      assertThat(hosts)
          .as("README's host table names %s (%s)", property, version)
          .contains(version);
    }
    for (String property : List.of("hikaricp.version", "dbcp2.version")) {
      String version = property(pom, property).replaceAll("^(\\d+\\.\\d+).*", "$1");
      assertThat(hosts)
          .as("README's host table names %s (%s)", property, version)
          .contains(version);
    }
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as("the parent pom has %s", name).isTrue();
    return m.group(1).trim();
  }

  static String options() {
    StringBuilder b = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (Option<?> o : Options.ALL) {
      b.append("| `")
          .append(o.key())
          .append("` | ")
          .append(defaultOf(o))
          .append(" | ")
          .append(cell(o.description()))
          .append(" |\n");
    }
    return b.toString();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String defaultOf(Option o) {
    Object d = o.defaultValue();
    if (d == null) {
      return "none";
    }
    if (d instanceof Path p) {
      // a default under this machine's temporary directory is written as such
      Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
      if (p.startsWith(tmp)) {
        return "`" + tmp.relativize(p) + "` under the temp dir";
      }
    }
    if (d instanceof List<?> l && l.isEmpty()) {
      return "none";
    }
    return "`" + o.print(d) + "`";
  }

  static String findings() {
    StringBuilder b =
        new StringBuilder("| code | runbook scenario | meaning | actions |\n|---|---|---|---|\n");
    for (FindingCode c : FindingCode.values()) {
      List<String> acts = new ArrayList<>();
      c.actions().forEach(a -> acts.add("`" + a + "`"));
      b.append("| `")
          .append(c.code())
          .append("` | ")
          .append(cell(c.scenario()))
          .append(" | ")
          .append(cell(c.about()))
          .append(" | ")
          .append(acts.isEmpty() ? "none" : String.join(", ", acts))
          .append(" |\n");
    }
    return b.toString();
  }

  static String actions(JsonNode answer) {
    StringBuilder b = new StringBuilder("| action | parameters | what it does |\n|---|---|---|\n");
    for (JsonNode a : answer.path("actions")) {
      List<String> params = new ArrayList<>();
      for (JsonNode p : a.path("params")) {
        if (p.path("name").asText().equals("dryRun")) {
          continue; // every action takes it; said once above the table
        }
        StringBuilder ps = new StringBuilder("`").append(p.path("name").asText()).append("` (");
        ps.append(p.path("type").asText());
        if (p.path("required").asBoolean()) {
          ps.append(", required");
        } else if (p.has("default")) {
          ps.append(", default `").append(p.path("default").asText()).append('`');
        }
        ps.append("): ").append(p.path("description").asText());
        params.add(ps.toString());
      }
      b.append("| `")
          .append(a.path("name").asText())
          .append("` | ")
          .append(params.isEmpty() ? "none" : cell(String.join("; ", params)))
          .append(" | ")
          .append(cell(a.path("description").asText()))
          .append(" |\n");
    }
    return b.toString();
  }

  static String meters() {
    StringBuilder b =
        new StringBuilder("| series | meter | kind | tags | meaning |\n|---|---|---|---|---|\n");
    for (Meters.Meter m : Meters.all()) {
      List<String> tags = new ArrayList<>();
      m.tags().forEach(t -> tags.add("`" + t + "`"));
      b.append("| `")
          .append(m.prometheus())
          .append("` | `")
          .append(m.name())
          .append("` | ")
          .append(m.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(m.unit() == null ? "" : " (" + m.unit() + ")")
          .append(" | ")
          .append(tags.isEmpty() ? "none" : String.join(", ", tags))
          .append(" | ")
          .append(cell(m.description()))
          .append(" |\n");
    }
    return b.toString();
  }

  /** A table cell: no line breaks, pipes escaped. */
  private static String cell(String text) {
    return text.replace("\n", " ").replace("|", "\\|");
  }

  private static final String END = "<!-- end generated -->";

  /** Compares (or, with {@code nova.docs.write}, replaces) one generated block of one page. */
  private static void check(String page, String name, String rendered) throws IOException {
    Path file = DOCS.resolve(page);
    assertThat(file).as("docs/" + page).exists();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String begin = "<!-- generated: " + name + " -->";
    Matcher m =
        Pattern.compile(Pattern.quote(begin) + "\\n(.*?)" + Pattern.quote(END), Pattern.DOTALL)
            .matcher(text);
    assertThat(m.find()).as("docs/%s has a block %s ... %s", page, begin, END).isTrue();
    String held = m.group(1);
    if (WRITE && !held.equals(rendered)) {
      Files.writeString(
          file,
          text.substring(0, m.start(1)) + rendered + text.substring(m.end(1)),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(held)
        .as(
            "docs/%s's %s table differs from the code; rerun with -Dnova.docs.write=true"
                + " (mvn -pl core test -Dtest=ReferenceDocsTest -Dnova.docs.write=true)",
            page, name)
        .isEqualTo(rendered);
  }
}
