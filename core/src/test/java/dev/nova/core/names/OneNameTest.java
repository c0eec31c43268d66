package dev.nova.core.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.meter.Meters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each finding code, action name and meter name is written once, where it is defined ({@link
 * FindingCode}, {@link ActionNames}, {@link Meters}): no other main source file of any module (nor
 * the page's script) holds it as a string literal, nor a meter's Prometheus series name inside one,
 * and every meter is registered by its constant. A rename or a new name is then one edit, and a
 * forgotten place a compile error instead of a silent mismatch.
 */
class OneNameTest {
  private static final List<Path> MODULES =
      List.of(
          Path.of("src", "main", "java"),
          Path.of("..", "agent", "src", "main", "java"),
          Path.of("..", "sample-service", "src", "main", "java"),
          Path.of("..", "jmh", "src", "main", "java"));
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
  private static final Pattern BUILDER =
      Pattern.compile(
          "(?:Gauge|Counter|FunctionCounter|Timer|DistributionSummary)\\.builder\\(\\s*"
              + "(Meters\\.[A-Z_]+\\.name\\(\\)|[^,)]*)");

  @Test
  void everyCodeActionAndMeterNameIsWrittenOnlyWhereItIsDefined() throws IOException {
    Set<String> exact = new TreeSet<>();
    for (FindingCode c : FindingCode.values()) {
      exact.add(c.code());
    }
    exact.addAll(ActionNames.all());
    Set<String> series = new TreeSet<>();
    for (Meters.Meter m : Meters.all()) {
      exact.add(m.name());
      series.add(m.prometheus());
    }
    Map<String, Set<String>> where = new TreeMap<>();
    for (Path file : sources()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher m = LITERAL.matcher(stripComments(text));
      while (m.find()) {
        String lit = m.group(1);
        if (exact.contains(lit)) {
          where.computeIfAbsent(lit, k -> new TreeSet<>()).add(file.getFileName().toString());
        }
        for (String s : series) {
          if (Pattern.compile("\\b" + s + "\\b").matcher(lit).find()) {
            where.computeIfAbsent(s, k -> new TreeSet<>()).add(file.getFileName().toString());
          }
        }
      }
    }
    Set<String> definitions = Set.of("FindingCode.java", "ActionNames.java", "Meters.java");
    Map<String, Set<String>> elsewhere = new TreeMap<>();
    where.forEach(
        (name, files) -> {
          Set<String> others = new TreeSet<>(files);
          others.removeAll(definitions);
          if (!others.isEmpty()) {
            elsewhere.put(name, others);
          }
        });
    assertThat(elsewhere)
        .as("names written as literals outside their definition (use the constant instead)")
        .isEmpty();
  }

  @Test
  void everyMeterIsRegisteredByItsConstant() throws IOException {
    Map<String, String> offenders = new TreeMap<>();
    for (Path file : sources()) {
      Matcher m = BUILDER.matcher(stripComments(Files.readString(file, StandardCharsets.UTF_8)));
      while (m.find()) {
        String arg = m.group(1).trim();
        if (!arg.matches("Meters\\.[A-Z_]+\\.name\\(\\)")) {
          offenders.put(file.getFileName() + " at " + m.start(), arg);
        }
      }
    }
    assertThat(offenders).as("meters registered other than by Meters.X.name()").isEmpty();
  }

  private static List<Path> sources() throws IOException {
    List<Path> out = new java.util.ArrayList<>();
    for (Path root : MODULES) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
      }
    }
    // the page's script too: it takes its names from the page the server renders
    Path page = Path.of("src", "ui", "main.js");
    assertThat(page).exists();
    out.add(page);
    assertThat(out).as("main sources found from %s", Path.of("").toAbsolutePath()).isNotEmpty();
    return out;
  }

  /** Comments say names in prose; only code counts. */
  private static String stripComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
  }
}
