package dev.nova.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real JVM started by a test: its output is collected as it comes, and a test waits on a
 * condition with a deadline instead of sleeping.
 */
public final class ForkedJvm implements AutoCloseable {
  private final Process process;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final List<String> command;

  private ForkedJvm(List<String> command, Process process) {
    this.command = command;
    this.process = process;
    pump(process.getInputStream(), out, "out");
    pump(process.getErrorStream(), err, "err");
  }

  /** The {@code java} executable of a JDK home. */
  public static Path javaOf(Path jdkHome) {
    return jdkHome.resolve("bin").resolve("java");
  }

  /** The JDK running this test. */
  public static Path currentJdk() {
    return Path.of(System.getProperty("java.home"));
  }

  /** Starts {@code java} from {@code jdk} with these arguments. */
  public static ForkedJvm start(Path jdk, List<String> args) throws IOException {
    return start(jdk, args, java.util.Map.of());
  }

  /** As above, with {@code env} added to the child's environment. */
  public static ForkedJvm start(Path jdk, List<String> args, java.util.Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaOf(jdk).toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("NOVA_") || k.startsWith("JAVA_TOOL"));
    pb.environment().putAll(env);
    return new ForkedJvm(cmd, pb.start());
  }

  private static void pump(InputStream in, StringBuffer into, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  into.append(line).append('\n');
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "forked-" + name);
    t.setDaemon(true);
    t.start();
  }

  public String stdout() {
    return out.toString();
  }

  public String stderr() {
    return err.toString();
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Waits until {@code condition} holds; fails with the process's output when it does not. */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    await(() -> what, timeout, condition);
  }

  /**
   * As {@link #await(String, Duration, BooleanSupplier)}, with a description made when it fails
   * (for one that includes logs written while waiting).
   */
  public void await(
      java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (!process.isAlive() && !condition.getAsBoolean()) {
        throw new AssertionError(
            "process ended (exit "
                + process.exitValue()
                + ") before "
                + what.get()
                + "\n"
                + describe());
      }
      try {
        Thread.sleep(20); // polling interval, not a stand-in for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(
        "timed out after " + timeout + " waiting for " + what.get() + "\n" + describe());
  }

  /** Waits for a line containing {@code text} on stdout. */
  public void awaitStdout(String text, Duration timeout) {
    await("stdout to contain '" + text + "'", timeout, () -> stdout().contains(text));
  }

  /** Waits for a file to exist with content, and returns the content trimmed. */
  public String awaitFile(Path file, Duration timeout) {
    await(
        file + " to be written",
        timeout,
        () -> {
          try {
            return Files.exists(file) && !Files.readString(file).isBlank();
          } catch (IOException e) {
            return false;
          }
        });
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + "\n" + describe());
    }
    return process.exitValue();
  }

  /** Closes the process's stdin (test hosts end when it closes). */
  public void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  public String describe() {
    return "command: "
        + String.join(" ", command)
        + "\n--- stdout ---\n"
        + stdout()
        + "--- stderr ---\n"
        + stderr();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
