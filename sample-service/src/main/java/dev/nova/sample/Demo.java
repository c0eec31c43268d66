package dev.nova.sample;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command. Without flags, the guided tour: the service with the Nova agent on an
 * embedded H2 database, normal load, then every runbook fault in turn with what Nova says and does
 * about it ({@link Tour}). {@code --serve} runs the service alone (with the agent if the JVM has
 * it, otherwise with Nova as a library) for people who want to poke at it.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    boolean serve = false;
    boolean faults = false;
    boolean untilStdin = false;
    int port = 8081;
    Path agent = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--serve" -> serve = true;
        case "--faults" -> faults = true;
        case "--until-stdin-closes" -> untilStdin = true;
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--agent" -> agent = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: Demo                      the guided tour (needs the agent jar)\n"
                  + "       Demo --agent PATH         the tour with the agent jar at PATH\n"
                  + "       Demo --serve [--port N] [--faults]   the service alone");
          System.exit(2);
        }
      }
    }
    System.exit(serve ? serve(port, faults, untilStdin) : tour(System.out, agent));
  }

  static int serve(int port, boolean faults, boolean untilStdin) throws Exception {
    if (faults || "true".equals(System.getenv("STREAMS_FAULTS"))) {
      faults = true;
    }
    StreamingService s = new StreamingService(port, faults);
    System.out.println("service-ready port=" + s.port());
    System.out.println(
        "Nova Streaming on http://127.0.0.1:"
            + s.port()
            + " ("
            + s.db().kind()
            + (faults ? ", faults enabled at /admin/faults" : "")
            + "); Nova "
            + (s.libraryMode() ? "as a library" : "as the agent")
            + " at http://"
            + s.novaAddress()
            + "/debug/nova");
    if (untilStdin) {
      while (System.in.read() >= 0) {
        // until the parent closes stdin
      }
      s.close();
      return 0;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s.close();
                  done.countDown();
                },
                "streams-shutdown"));
    done.await();
    return 0;
  }

  static Path findAgent(Path given) {
    List<Path> candidates = new ArrayList<>();
    if (given != null) {
      candidates.add(given); // only that one: a wrong path is said, not papered over
    } else {
      candidates.add(Path.of("agent", "target", "nova-agent.jar"));
      candidates.add(Path.of("..", "agent", "target", "nova-agent.jar"));
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  static int tour(PrintStream out, Path given) throws Exception {
    Path agent = findAgent(given);
    if (agent == null) {
      out.println(
          (given != null ? "No agent jar at " + given + ". " : "")
              + "The tour runs the service with the Nova agent: build it first"
              + " (mvn -B -q -DskipTests package), run from the repository root, or pass --agent"
              + " PATH.");
      return 2;
    }
    out.println("Nova Streaming, with the Nova agent: a guided tour of the runbook");
    out.println("Starting the service (embedded H2) with -javaagent:" + agent + " ...");
    Path work = Files.createTempDirectory("nova-tour");
    int failed = 0;
    try (Tour t = new Tour(out, agent, work, Map.of())) {
      out.println("Service on " + t.base() + ", Nova on " + t.admin() + "/debug/nova");
      out.println();
      out.println("== Normal load: viewers joining and chatting, REST calls (10 s)");
      try (Load.Background load = new Load.Background(t.base(), 30, 4)) {
        Thread.sleep(10_000); // ten seconds of normal traffic to look at
        var report = t.report();
        out.println(
            "   Nova: "
                + report.get("severity").asText()
                + ", "
                + report.get("findings").size()
                + " finding(s); "
                + report.get("signals").path("http").path("requests").asLong()
                + " requests in the window, "
                + report.get("signals").path("websocket").path("connectsLastMinute").asLong()
                + " viewer sessions opened in the last minute");
        for (Scenarios.Scenario s : Scenarios.ALL) {
          try {
            Tour.Outcome o = t.run(s);
            if (o.finding() == null || !o.recovered()) {
              failed++;
            }
          } catch (Exception e) {
            out.println();
            out.println("   the scenario broke off: " + e);
            failed++;
          }
        }
        out.println();
        out.println("== Load over the whole tour: " + load.stop());
      }
      out.println(
          failed == 0
              ? "Every scenario was found, remediated and cleared. Stopping the service."
              : failed + " scenario(s) were not found or did not clear; see above.");
    }
    return failed == 0 ? 0 : 1;
  }
}
