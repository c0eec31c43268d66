package dev.nova.core.incident;

import dev.nova.core.health.NovaHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The flight recording an incident bundle carries: the last {@code incident.recording} of the JVM,
 * kept rolling by JFR itself ({@code maxAge}, {@code maxSize}; its chunks on disk in JFR's
 * repository, nothing on Nova's heap) and dumped when a bundle is written, so that the bundle holds
 * the minutes <em>before</em> the finding.
 *
 * <p>Its settings are Nova's own, not the JDK's {@code default.jfc}: every event type the JVM knows
 * is off unless {@link #ENABLED} turns it on, so that an event type that carries the environment,
 * system properties, the command line or an agent's options ({@link #SENSITIVE}) is never in it,
 * and neither is an event of the host's own. Event types registered later (a host's own event
 * classes) are turned off at the next {@link #refresh()}, each detector round.
 *
 * <p>JFR's recordings share their data: a dump holds what any recording running at the same time
 * enabled. When another recording (the host's {@code -XX:StartFlightRecording}, say) records a
 * sensitive event type, the dump is filtered through {@code RecordingFile.write} on JDK 19 and
 * later, and left out of the bundle on older JDKs, which cannot filter one (the manifest says so).
 */
final class RollingRecording implements AutoCloseable {
  /** The most a recording keeps on disk, whatever its age. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  /**
   * Event types that carry the environment, system properties, the JVM's or a started process's
   * command line, an agent's options, security properties or arbitrary messages: never recorded.
   */
  static final List<String> SENSITIVE =
      List.of(
          "jdk.InitialEnvironmentVariable", // every environment variable
          "jdk.InitialSystemProperty", // every system property
          "jdk.JVMInformation", // the JVM's and the application's arguments, the JVM flags
          "jdk.SystemProcess", // other processes' command lines
          "jdk.ProcessStart", // a started process's command line (JDK 23+)
          "jdk.JavaAgent", // a -javaagent's options, where Nova's token may be (JDK 23+)
          "jdk.NativeAgent", // a native agent's options (JDK 23+)
          "jdk.InitialSecurityProperty", // security properties (JDK 20+)
          "jdk.SecurityPropertyModification",
          "jdk.StringFlag", // string-valued JVM flags: paths and values from the command line
          "jdk.JavaErrorThrow", // error messages, which may quote anything
          "jdk.JavaExceptionThrow",
          "jdk.ThreadDump", // threads.txt is the bundle's thread dump
          "jdk.NativeLibrary", // paths of every native library
          "jdk.X509Certificate",
          "jdk.X509Validation",
          "jdk.TLSHandshake",
          "jdk.Deserialization",
          "jdk.SecurityProviderService");

  /**
   * What it records: execution samples at a modest rate, GC, safepoints and VM operations, thread
   * park, monitor enter and wait above 20 ms, socket and file I/O above 20 ms, allocation samples
   * (throttled, JDK 16+), and the JVM's periodic load, heap, thread and class figures.
   */
  static final Map<String, String> ENABLED = enabled();

  private static Map<String, String> enabled() {
    Map<String, String> m = new LinkedHashMap<>();
    on(m, "jdk.ExecutionSample", "period", "100 ms");
    on(m, "jdk.GarbageCollection", "threshold", "0 ms");
    on(m, "jdk.YoungGarbageCollection", "threshold", "0 ms");
    on(m, "jdk.OldGarbageCollection", "threshold", "0 ms");
    on(m, "jdk.GCPhasePause", "threshold", "0 ms");
    on(m, "jdk.GCHeapSummary", null, null);
    on(m, "jdk.GCConfiguration", "period", "beginChunk");
    on(m, "jdk.SafepointBegin", "threshold", "10 ms");
    on(m, "jdk.ExecuteVMOperation", "threshold", "10 ms");
    on(m, "jdk.ThreadPark", "threshold", "20 ms");
    on(m, "jdk.JavaMonitorEnter", "threshold", "20 ms");
    on(m, "jdk.JavaMonitorWait", "threshold", "20 ms");
    on(m, "jdk.SocketRead", "threshold", "20 ms");
    on(m, "jdk.SocketWrite", "threshold", "20 ms");
    on(m, "jdk.FileRead", "threshold", "20 ms");
    on(m, "jdk.FileWrite", "threshold", "20 ms");
    on(m, "jdk.ObjectAllocationSample", "throttle", "20/s");
    on(m, "jdk.CPULoad", "period", "1 s");
    on(m, "jdk.ThreadCPULoad", "period", "10 s");
    on(m, "jdk.JavaThreadStatistics", "period", "1 s");
    on(m, "jdk.ClassLoadingStatistics", "period", "1 s");
    on(m, "jdk.ThreadStart", null, null);
    on(m, "jdk.ThreadEnd", null, null);
    on(m, "jdk.ExceptionStatistics", "period", "1 s");
    on(m, "jdk.CPUInformation", "period", "beginChunk");
    on(m, "jdk.OSInformation", "period", "beginChunk");
    on(m, "jdk.PhysicalMemory", "period", "10 s");
    return m;
  }

  private static void on(Map<String, String> m, String event, String setting, String value) {
    m.put(event + "#enabled", "true");
    if (setting != null) {
      m.put(event + "#" + setting, value);
    }
    if (!"jdk.ExecutionSample".equals(event)
        && (event.contains("Park")
            || event.contains("Monitor")
            || event.contains("Socket")
            || event.contains("File")
            || event.contains("Allocation"))) {
      m.put(event + "#stackTrace", "true");
    }
  }

  private final Duration window;
  private final NovaHealth health;
  private volatile Recording recording;
  private volatile String status;
  private volatile Instant startedAt;
  private int knownTypes = -1;

  /** {@code window} zero: no recording ({@code incident.recording=none}). */
  RollingRecording(Duration window, boolean jfr, NovaHealth health) {
    this.window = window;
    this.health = health;
    this.status =
        window.isZero()
            ? "off (incident.recording=none)"
            : jfr
                ? "not started yet (after jfr.delay, at the first round the JVM uses under half"
                    + " of its CPUs, 5 min after it at the latest)"
                : "off (jfr=false)";
  }

  boolean wanted() {
    return !window.isZero() && status.startsWith("not started");
  }

  Duration window() {
    return window;
  }

  /** Starts the recording; what fails is said in {@link #status()}, never thrown. */
  synchronized void start() {
    if (!wanted() || recording != null) {
      return;
    }
    try {
      if (!FlightRecorder.isAvailable()) {
        status = "unavailable (FlightRecorder.isAvailable() is false in this JVM)";
        return;
      }
      Recording r = new Recording(settings());
      r.setName("nova-incident");
      r.setToDisk(true);
      r.setMaxAge(window);
      r.setMaxSize(MAX_BYTES);
      r.start();
      recording = r;
      startedAt = Instant.now();
      status = "recording";
    } catch (Throwable t) {
      status = "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
      health.recordSuppressed("incident recording", t);
    }
  }

  /** Every known event type off, but those {@link #ENABLED} turns on (never a sensitive one). */
  private Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    List<EventType> types = FlightRecorder.getFlightRecorder().getEventTypes();
    knownTypes = types.size();
    for (EventType t : types) {
      m.put(t.getName() + "#enabled", "false");
    }
    m.putAll(ENABLED);
    for (String s : SENSITIVE) {
      m.put(s + "#enabled", "false");
    }
    return m;
  }

  /** Turns off event types registered since the last look (cheap: a count, most rounds). */
  synchronized void refresh() {
    Recording r = recording;
    if (r == null) {
      return;
    }
    try {
      if (FlightRecorder.getFlightRecorder().getEventTypes().size() != knownTypes) {
        r.setSettings(settings());
      }
    } catch (Throwable t) {
      health.recordSuppressed("incident recording settings", t);
    }
  }

  String status() {
    return status;
  }

  Instant startedAt() {
    return startedAt;
  }

  /**
   * Writes the recording so far to {@code target}. Returns null when written, else why it is left
   * out.
   */
  String dump(Path target) {
    Recording r = recording;
    if (r == null || r.getState() != RecordingState.RUNNING) {
      return status;
    }
    String other = otherSensitiveRecording(r);
    try {
      if (other == null) {
        r.dump(target);
        return null;
      }
      Path raw = target.resolveSibling(target.getFileName() + ".raw");
      try {
        r.dump(raw);
        String filtered = Filter.write(raw, target, SENSITIVE);
        return filtered == null
            ? null
            : "left out: another recording ("
                + other
                + ") records environment, properties or arguments, and "
                + filtered;
      } finally {
        java.nio.file.Files.deleteIfExists(raw);
      }
    } catch (IOException | RuntimeException e) {
      health.recordSuppressed("incident recording dump", e);
      return "left out: the dump failed (" + e.getMessage() + ")";
    }
  }

  /** The name of another running recording that enables a sensitive event type, or null. */
  private static String otherSensitiveRecording(Recording ours) {
    for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
      if (r == ours || r.getState() != RecordingState.RUNNING) {
        continue;
      }
      Map<String, String> s = r.getSettings();
      for (String e : SENSITIVE) {
        if ("true".equals(s.get(e + "#enabled"))) {
          return r.getName() + ": " + e;
        }
      }
    }
    return null;
  }

  @Override
  public synchronized void close() {
    Recording r = recording;
    recording = null;
    if (r != null) {
      try {
        r.close();
      } catch (Throwable t) {
        health.recordSuppressed("incident recording close", t);
      }
    }
  }

  /** {@code RecordingFile.write(Path, Predicate)}, which JDK 19 added, by reflection. */
  static final class Filter {
    private Filter() {}

    /** Null when written without the {@code drop} event types, else why it could not be. */
    static String write(Path from, Path to, List<String> drop) {
      try {
        java.lang.reflect.Method write =
            jdk.jfr.consumer.RecordingFile.class.getMethod(
                "write", Path.class, java.util.function.Predicate.class);
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(from)) {
          java.util.function.Predicate<jdk.jfr.consumer.RecordedEvent> keep =
              e -> !drop.contains(e.getEventType().getName());
          write.invoke(f, to, keep);
        }
        return null;
      } catch (NoSuchMethodException e) {
        return "this JDK (" + Runtime.version().feature() + ") cannot filter a recording (19+)";
      } catch (ReflectiveOperationException | IOException e) {
        return "filtering it failed (" + e + ")";
      }
    }
  }
}
