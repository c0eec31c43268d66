package dev.nova.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's engines from Debian's packages: {@code prometheus} (with {@code promtool}) and {@code
 * prometheus-alertmanager}. {@code .ci/run} installs them and then sets {@code
 * NOVA_FLEET_REQUIRED=true}; with that (or {@code CI=true}) a missing one fails the test, elsewhere
 * the test is skipped with a message saying what to install.
 */
final class FleetTools {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

  private FleetTools() {}

  static void require(Path... tools) {
    List<String> missing = new ArrayList<>();
    for (Path t : tools) {
      if (!Files.isExecutable(t)) {
        missing.add(t.toString());
      }
    }
    String why =
        "missing "
            + missing
            + ": apt-get install prometheus prometheus-alertmanager (.ci/run does)";
    if (!missing.isEmpty()
        && ("true".equals(System.getenv("NOVA_FLEET_REQUIRED"))
            || "true".equals(System.getenv("CI")))) {
      throw new AssertionError(why);
    }
    assumeTrue(missing.isEmpty(), why);
  }

  /** Runs a command to its end; its exit code and everything it printed. */
  static Result run(List<String> command, Path dir) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  record Result(int code, String output) {}
}
