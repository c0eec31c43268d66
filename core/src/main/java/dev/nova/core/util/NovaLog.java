package dev.nova.core.util;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Nova's few messages to a person: start-up, configuration problems once, the first error of each
 * kind, the audit lines ({@code dev.nova.audit}) and the findings' raises, changes and clears
 * ({@code dev.nova.findings}).
 *
 * <p>By default they go to stderr with a {@code [nova]} prefix: as an agent Nova runs before the
 * host configured its logging, and its relocated copy could not see the host's SLF4J binding
 * anyway. In library mode, when the host has SLF4J, {@link #useSlf4j} sends the audit and finding
 * lines through it (loggers {@code dev.nova.audit} and {@code dev.nova.findings}), so they reach
 * the host's own log pipeline.
 */
public final class NovaLog {
  /** Where audit and finding lines go: a logger name, a level, the line. */
  public interface Lines {
    void write(String logger, boolean warn, String line);
  }

  public static final String FINDINGS = "dev.nova.findings";
  public static final String AUDIT = "dev.nova.audit";

  private static volatile PrintStream out = System.err;
  private static volatile Lines lines;
  private static volatile boolean json;

  private NovaLog() {}

  public static void info(String message) {
    print("INFO", message);
  }

  public static void warn(String message) {
    print("WARN", message);
  }

  /** An audit or finding line, to SLF4J when {@link #useSlf4j} found it, else to stderr. */
  public static void line(String logger, boolean warn, String line) {
    Lines l = lines;
    if (l != null) {
      try {
        l.write(logger, warn, line);
        return;
      } catch (Throwable t) {
        // a broken binding: stderr below
      }
    }
    print(warn ? "WARN" : "INFO", line);
  }

  /**
   * Sends audit and finding lines through the host's SLF4J if it is on the class path; true if it
   * is. Only for library mode: the agent's relocated copy would bind to nothing.
   */
  public static boolean useSlf4j(ClassLoader loader) {
    try {
      Class.forName("org.slf4j.LoggerFactory", false, loader);
      lines = Slf4jLines.create();
      return true;
    } catch (Throwable t) {
      return false; // no SLF4J: stderr
    }
  }

  /** Back to stderr (Nova closed). */
  public static void useStderr() {
    lines = null;
  }

  /** {@code log.format=json}: audit and finding lines are JSON objects, one a line. */
  public static void json(boolean on) {
    json = on;
  }

  public static boolean json() {
    return json;
  }

  /** Whether lines go through SLF4J now. */
  public static boolean throughSlf4j() {
    return lines != null;
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
