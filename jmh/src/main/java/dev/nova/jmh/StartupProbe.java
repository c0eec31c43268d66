package dev.nova.jmh;

import java.lang.management.ManagementFactory;

/** Prints how long the JVM took to reach {@code main}; {@link StartupCost} runs it. */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) {
    System.out.println("main-at-ms " + ManagementFactory.getRuntimeMXBean().getUptime());
  }
}
