package dev.nova.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in-process, for tests whose counts are made on another thread. */
public final class Poll {
  private Poll() {}

  /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(() -> what, timeout, condition);
  }

  /** As {@link #until(String, Duration, BooleanSupplier)}, describing what failed when it fails. */
  public static void until(
      java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      try {
        Thread.sleep(20); // polling interval, not a stand-in for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
