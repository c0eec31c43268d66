package dev.nova.sample.faults;

/** One runbook scenario on demand. Starting an active fault or stopping an idle one is harmless. */
public interface Fault {
  /** The name in {@code POST /admin/faults/<name>}. */
  String name();

  /** The runbook scenario it reproduces, for a person. */
  String description();

  void start() throws Exception;

  void stop();

  boolean active();
}
