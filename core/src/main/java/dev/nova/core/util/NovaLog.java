package dev.nova.core.util;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Nova's few messages to a person, on stderr with a {@code [nova]} prefix.
 *
 * <p>Nova does not log through the host's logging framework: as an agent it runs before the host
 * configured one, and its relocated copy could not see the host's binding anyway. It says little:
 * start-up, configuration problems once, the first error of each kind, and the audit lines.
 */
public final class NovaLog {
  private static volatile PrintStream out = System.err;

  private NovaLog() {}

  public static void info(String message) {
    print("INFO", message);
  }

  public static void warn(String message) {
    print("WARN", message);
  }

  private static void print(String level, String message) {
    try {
      out.println(Instant.now() + " [nova] " + level + " " + message);
    } catch (Throwable ignored) {
      // a closed or broken stderr must not hurt the host
    }
  }

  /** Redirects messages; for tests. */
  public static void redirect(PrintStream stream) {
    out = stream == null ? System.err : stream;
  }
}
