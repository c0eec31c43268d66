package dev.nova.core.util;

import java.lang.management.ManagementFactory;

/**
 * The JVM's own CPU counters ({@code com.sun.management.OperatingSystemMXBean}), read in one place;
 * each answers a negative where the JVM has no such bean or the reading fails.
 */
public final class Cpu {
  private static final com.sun.management.OperatingSystemMXBean OS = bean();

  private Cpu() {}

  private static com.sun.management.OperatingSystemMXBean bean() {
    try {
      return ManagementFactory.getOperatingSystemMXBean()
              instanceof com.sun.management.OperatingSystemMXBean os
          ? os
          : null;
    } catch (Throwable t) {
      return null; // no such bean here: CPU is not watched
    }
  }

  /** Recent CPU use of the machine or container the JVM runs in, 0..1. */
  public static double machineLoad() {
    try {
      return OS == null ? -1 : OS.getCpuLoad();
    } catch (Throwable t) {
      return -1;
    }
  }

  /** Recent CPU use of this process, 0..1 of all the CPUs it may use. */
  public static double processLoad() {
    try {
      return OS == null ? -1 : OS.getProcessCpuLoad();
    } catch (Throwable t) {
      return -1;
    }
  }

  /** The CPU time this process has used, in nanoseconds. */
  public static long processNanos() {
    try {
      return OS == null ? -1 : OS.getProcessCpuTime();
    } catch (Throwable t) {
      return -1;
    }
  }
}
