package dev.nova.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the forked agent tests run on: the one running the tests, and the newer one. */
public final class Jdks {
  private Jdks() {}

  /** One JDK with its feature version. */
  public record Jdk(Path home, int feature) {
    @Override
    public String toString() {
      return "JDK " + feature;
    }
  }

  public static List<Jdk> all() {
    List<Jdk> out = new ArrayList<>();
    out.add(new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature()));
    String newer = System.getProperty("nova.newer.jdk", "");
    if (!newer.isBlank() && Files.isExecutable(Path.of(newer, "bin", "java"))) {
      out.add(new Jdk(Path.of(newer), featureOf(Path.of(newer))));
    } else if (!newer.isBlank()) {
      System.err.println(
          "[nova-tests] the newer JDK "
              + newer
              + " is not present: forked tests run on "
              + System.getProperty("java.home")
              + " only");
    }
    return out;
  }

  private static int featureOf(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          int dot = v.indexOf('.');
          return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        }
      }
    } catch (Exception e) {
      // fall through
    }
    return -1;
  }

  /** The built agent jar. */
  public static Path agentJar() {
    String p = System.getProperty("nova.agent.jar");
    if (p == null) {
      throw new IllegalStateException("run through Maven failsafe: nova.agent.jar is not set");
    }
    return Path.of(p);
  }

  /** The class path of the test hosts. */
  public static String hostClassPath() {
    return Path.of("target", "test-classes").toAbsolutePath().toString();
  }
}
