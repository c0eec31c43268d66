package dev.nova.jmh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start-up cost of the agent: forks {@link StartupProbe} bare and with {@code -javaagent},
 * alternating, and prints the median time to reach {@code main} and to exit, for each.
 *
 * <pre>
 * java -cp jmh/target/nova-jmh.jar dev.nova.jmh.StartupCost [agent jar] [runs]
 * </pre>
 */
public final class StartupCost {
  private StartupCost() {}

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/nova-agent.jar");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<Long> bareMain = new ArrayList<>();
    List<Long> bareTotal = new ArrayList<>();
    List<Long> agentMain = new ArrayList<>();
    List<Long> agentTotal = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      measure(List.of(java, "-cp", cp, StartupProbe.class.getName()), bareMain, bareTotal);
      measure(
          List.of(
              java,
              "-javaagent:" + agent.toAbsolutePath() + "=port=0",
              "-cp",
              cp,
              StartupProbe.class.getName()),
          agentMain,
          agentTotal);
    }
    System.out.printf(
        "bare:       main reached at %d ms, process done in %d ms (median of %d)%n",
        median(bareMain), median(bareTotal), runs);
    System.out.printf(
        "with agent: main reached at %d ms, process done in %d ms (median of %d)%n",
        median(agentMain), median(agentTotal), runs);
  }

  private static void measure(List<String> cmd, List<Long> main, List<Long> total)
      throws Exception {
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long at = -1;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("main-at-ms ")) {
          at = Long.parseLong(line.substring("main-at-ms ".length()).trim());
        }
      }
    }
    if (p.waitFor() != 0 || at < 0) {
      throw new IllegalStateException("probe failed: " + cmd);
    }
    main.add(at);
    total.add((System.nanoTime() - start) / 1_000_000);
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
