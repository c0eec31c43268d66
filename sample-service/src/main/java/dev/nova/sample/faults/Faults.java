package dev.nova.sample.faults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults the service can reproduce, off unless the service was started with faults enabled
 * ({@code --faults} or {@code STREAMS_FAULTS=true}); then {@code GET /admin/faults} lists them and
 * {@code POST /admin/faults/<name>?on=true|false} turns one on or off.
 */
public final class Faults {
  private final boolean enabled;
  private final Map<String, Fault> all = new LinkedHashMap<>();
  public final LeakConnections leakConnections;
  public final RetainMemory retainMemory;
  public final ErrorBurst errorBurst;
  public final DropWebSockets dropWebSockets;

  public Faults(
      boolean enabled,
      LeakConnections leakConnections,
      SlowQueries slowQueries,
      ExhaustPool exhaustPool,
      LeakThreads leakThreads,
      RetainMemory retainMemory,
      SilentSessions silentSessions,
      ErrorBurst errorBurst,
      DropWebSockets dropWebSockets) {
    this.enabled = enabled;
    this.leakConnections = leakConnections;
    this.retainMemory = retainMemory;
    this.errorBurst = errorBurst;
    this.dropWebSockets = dropWebSockets;
    for (Fault f :
        List.of(
            leakConnections,
            slowQueries,
            exhaustPool,
            leakThreads,
            retainMemory,
            silentSessions,
            errorBurst,
            dropWebSockets)) {
      all.put(f.name(), f);
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public Fault get(String name) {
    return all.get(name);
  }

  public Map<String, Fault> all() {
    return all;
  }

  /** Turns every fault off (shutdown). */
  public void stopAll() {
    for (Fault f : all.values()) {
      try {
        f.stop();
      } catch (RuntimeException ignored) {
        // stopping is best effort
      }
    }
  }
}
