package dev.nova.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system benchmark's memory and scale host ({@code --hosts scale}): Netty's WebSocket example
 * beside a HikariCP pool on H2 ({@code jmh/src/hosts/scale}), run idle (no session, no leak) and
 * loaded ({@code --sessions} WebSocket sessions held open by the JDK's own client, {@code --leaks}
 * connections borrowed at start and never closed), bare, with Nova and with any other agent, in
 * alternating rounds. Measured {@code --idle} seconds after the host listens: the live heap after a
 * full GC ({@code jcmd GC.heap_info}), its class histogram ({@code jcmd GC.class_histogram}: the
 * difference against bare of the same round is the agent's own retained memory, its largest classes
 * printed), and with Nova the time {@code GET /debug/nova} takes, the leaks it reports and the
 * sessions it counts.
 */
final class ScaleRun {
  private static final Pattern LISTENING = Pattern.compile("listening (\\d+)");
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern SUSPECTS =
      Pattern.compile("(?s)\"code\"\\s*:\\s*\"DB_CONNECTION_LEAK\".*?\"suspects\"\\s*:\\s*(\\d+)");
  private static final Pattern WS_OPEN =
      Pattern.compile(
          "(?m)^"
              + dev.nova.core.meter.Meters.WS_CONNECTIONS.prometheus()
              + "(\\{[^}]*})? ([0-9.E]+)");

  /** What one run measured. */
  record Result(
      double heapMiB, Map<String, Long> histogram, double reportMs, long leaks, long sessions) {}

  private ScaleRun() {}

  static void run(
      String javaBin,
      List<String> command,
      Map<String, List<String>> variants,
      int rounds,
      int idle,
      int sessions,
      int leaks)
      throws Exception {
    int[][] shapes = {{0, 0}, {sessions, leaks}};
    for (int[] shape : shapes) {
      String label =
          shape[0] == 0 && shape[1] == 0
              ? "idle (no session, no leak)"
              : shape[0] + " WebSocket sessions and " + shape[1] + " leaked connections";
      Map<String, List<Result>> results = new LinkedHashMap<>();
      Map<String, List<Long>> own = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        List<String> order = new ArrayList<>(variants.keySet());
        if (r % 2 == 1) {
          Collections.reverse(order);
        }
        Map<String, Result> round = new HashMap<>();
        for (String v : order) {
          Result res = once(javaBin, command, variants.get(v), idle, shape[0], shape[1]);
          System.out.printf(
              "  scale %s %s round %d: heap %.1f MiB, report %.0f ms, leaks %d, sessions %d%n",
              label, v, r + 1, res.heapMiB(), res.reportMs(), res.leaks(), res.sessions());
          results.computeIfAbsent(v, k -> new ArrayList<>()).add(res);
          round.put(v, res);
        }
        for (String v : variants.keySet()) {
          if (!v.equals("bare")) {
            long diff =
                difference(
                    round.get(v).histogram(), round.get("bare").histogram(), v, r == rounds - 1);
            own.computeIfAbsent(v, k -> new ArrayList<>()).add(diff);
          }
        }
      }
      System.out.printf(
          "%nNetty WebSocket example, %s, %d s after it listens (medians)%n%-36s %10s %12s %12s %10s %8s %9s%n",
          label,
          idle,
          "variant",
          "heap MiB",
          "vs bare MiB",
          "histo diff",
          "report ms",
          "leaks",
          "sessions");
      double bare = median(results.get("bare").stream().mapToDouble(Result::heapMiB).toArray());
      for (Map.Entry<String, List<Result>> e : results.entrySet()) {
        double heap = median(e.getValue().stream().mapToDouble(Result::heapMiB).toArray());
        List<Long> d = own.get(e.getKey());
        System.out.printf(
            "%-36s %10.1f %12s %12s %10s %8s %9s%n",
            e.getKey(),
            heap,
            e.getKey().equals("bare") ? "" : String.format("%+.1f", heap - bare),
            d == null
                ? ""
                : String.format(
                    "%+.1f MiB", median(d.stream().mapToDouble(x -> x / 1048576.0).toArray())),
            e.getKey().contains("nova")
                ? String.format(
                    "%.0f", median(e.getValue().stream().mapToDouble(Result::reportMs).toArray()))
                : "",
            e.getKey().contains("nova") ? Long.toString(e.getValue().get(0).leaks()) : "",
            e.getKey().contains("nova") ? Long.toString(e.getValue().get(0).sessions()) : "");
      }
    }
  }

  private static Result once(
      String javaBin, List<String> command, List<String> agent, int idle, int sessions, int leaks)
      throws Exception {
    Path portFile = Files.createTempFile("nova-scale", ".port");
    Files.delete(portFile);
    boolean nova = false;
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    for (String a : agent) {
      if (a.startsWith("-javaagent:") && a.contains("nova")) {
        nova = true;
        a += ",portFile=" + portFile + ",jdbc.leakThreshold=2s";
      }
      cmd.add(a);
    }
    cmd.addAll(command);
    cmd.add(Integer.toString(leaks));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<WebSocket> open = new ArrayList<>();
    try {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> SystemBench.drain(p.getInputStream(), LISTENING, port));
      reader.setDaemon(true);
      reader.start();
      int n = port.get(120, TimeUnit.SECONDS);
      long listening = System.nanoTime();
      HttpClient client = HttpClient.newHttpClient();
      URI ws = URI.create("ws://127.0.0.1:" + n + "/websocket");
      WebSocket.Listener quiet = new WebSocket.Listener() {};
      for (int done = 0; done < sessions; ) {
        List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
        for (int i = 0; i < 250 && done < sessions; i++, done++) {
          batch.add(client.newWebSocketBuilder().buildAsync(ws, quiet));
        }
        for (CompletableFuture<WebSocket> f : batch) {
          open.add(f.get(60, TimeUnit.SECONDS));
        }
      }
      long left = listening + idle * 1_000_000_000L - System.nanoTime();
      if (left > 0) {
        Thread.sleep(left / 1_000_000); // the measurement is taken this long after the start
      }
      double reportMs = Double.NaN;
      long reported = -1;
      long counted = -1;
      if (nova) {
        String admin = "http://127.0.0.1:" + Files.readString(portFile).trim();
        String body = "";
        for (int i = 0; i < 3; i++) {
          long t = System.nanoTime();
          body = get(admin + "/debug/nova");
          reportMs = (System.nanoTime() - t) / 1e6; // the last of three: a warm answer
        }
        Matcher m = SUSPECTS.matcher(body);
        reported = m.find() ? Long.parseLong(m.group(1)) : 0;
        Matcher w = WS_OPEN.matcher(get(admin + "/debug/nova/metrics"));
        counted = 0;
        while (w.find()) {
          counted += (long) Double.parseDouble(w.group(2)); // one series per route
        }
      }
      double heap = SystemBench.heapAfterGc(p.pid());
      Map<String, Long> histogram = new HashMap<>();
      for (String line : SystemBench.jcmd(p.pid(), "GC.class_histogram").split("\n")) {
        Matcher row = ROW.matcher(line);
        if (row.find()) {
          histogram.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        }
      }
      return new Result(heap, histogram, reportMs, reported, counted);
    } finally {
      for (WebSocket w : open) {
        w.abort();
      }
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(portFile);
    }
  }

  /** Bytes in {@code with} beyond {@code bare}; the largest classes printed when {@code show}. */
  private static long difference(
      Map<String, Long> with, Map<String, Long> bare, String variant, boolean show) {
    Map<String, Long> d = new HashMap<>();
    long total = 0;
    for (Map.Entry<String, Long> e : with.entrySet()) {
      long x = e.getValue() - bare.getOrDefault(e.getKey(), 0L);
      d.put(e.getKey(), x);
      total += x;
    }
    for (Map.Entry<String, Long> e : bare.entrySet()) {
      if (!with.containsKey(e.getKey())) {
        total -= e.getValue();
      }
    }
    if (show) {
      System.out.printf("    %s beyond bare, largest classes (last round):%n", variant);
      d.entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .limit(12)
          .forEach(
              e -> System.out.printf("      %+9.1f KiB  %s%n", e.getValue() / 1024.0, e.getKey()));
    }
    return total;
  }

  private static double median(double[] v) {
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(30_000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
