package dev.nova.jmh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up of a Spring Boot executable jar, bare and with each agent jar given, in alternating
 * rounds (the order reverses every round): the time Spring itself reports in its "Started ...
 * (process running for N)" line, median per variant.
 *
 * <pre>
 * java -cp jmh/target/nova-jmh.jar dev.nova.jmh.AppStartup APP.jar ROUNDS [AGENT.jar ...]
 * </pre>
 */
public final class AppStartup {
  private static final Pattern STARTED = Pattern.compile("process running for ([0-9.]+)");

  private AppStartup() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: AppStartup APP.jar ROUNDS [AGENT.jar ...]");
      System.exit(2);
    }
    String app = args[0];
    int rounds = Integer.parseInt(args[1]);
    List<String> variants = new ArrayList<>();
    variants.add("bare");
    for (int i = 2; i < args.length; i++) {
      variants.add(args[i]);
    }
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      List<String> order = new ArrayList<>(variants);
      if (r % 2 == 1) {
        Collections.reverse(order);
      }
      for (String v : order) {
        seconds.computeIfAbsent(v, k -> new ArrayList<>()).add(start(app, v));
      }
    }
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      List<Double> sorted = new ArrayList<>(e.getValue());
      Collections.sort(sorted);
      System.out.printf(
          "%-50s median %.3f s over %d rounds %s%n",
          e.getKey(), sorted.get(sorted.size() / 2), rounds, e.getValue());
    }
  }

  private static double start(String app, String variant) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java"));
    if (!variant.equals("bare")) {
      cmd.add("-javaagent:" + variant + "=port=0");
    }
    cmd.addAll(List.of("-jar", app, "--server.port=0"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
      throw new IllegalStateException(variant + ": the application never said it started");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}
