package dev.nova.core.incident;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Report;
import dev.nova.core.util.Json;
import dev.nova.core.util.PrivateDir;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one bundle: a zip, owner-only, first under a temporary name in the same directory and
 * moved into place when complete, so that a listing never shows half a bundle. Its files are what
 * the admin listener would have answered at that moment ({@code report.json}, {@code report.txt},
 * {@code jdbc.json}, {@code history.json}, {@code metrics.txt}), a full thread dump ({@code
 * threads.txt}), the rolling recording ({@code recording.jfr}) and {@code manifest.json}, which
 * says what caused it and lists every file with its size.
 */
final class IncidentBundle {
  /** The files of a bundle, as the contract names them ({@code recording.jfr} when kept). */
  static final List<String> FILES;

  static final String MANIFEST = "manifest.json";
  static final String RECORDING = "recording.jfr";

  /** What a file holds, read when the bundle is written. */
  private interface Body {
    byte[] read(IncidentSources sources, Report report);
  }

  /** The files written from Nova's sources, in the bundle's order. */
  private static final Map<String, Body> BODIES = new LinkedHashMap<>();

  static {
    BODIES.put("report.json", (sources, report) -> sources.json(report));
    BODIES.put("report.txt", (sources, report) -> bytes(sources.text(report)));
    BODIES.put("threads.txt", (sources, report) -> bytes(threadDump()));
    BODIES.put("jdbc.json", (sources, report) -> Json.render(orEmpty(sources.view("jdbc"))));
    BODIES.put("history.json", (sources, report) -> Json.render(orEmpty(sources.view("history"))));
    BODIES.put("metrics.txt", (sources, report) -> bytes(sources.metrics()));
    List<String> files = new ArrayList<>();
    files.add(MANIFEST);
    files.addAll(BODIES.keySet());
    files.add(RECORDING);
    FILES = List.copyOf(files);
  }

  private IncidentBundle() {}

  /** What caused a bundle: the findings that reached {@code incident.on}, or a caller's request. */
  record Trigger(String cause, List<Finding> findings, Instant at) {}

  /**
   * Writes {@code name} into the store's directory and answers the manifest; throws when it could
   * not be written (the partial file is removed).
   */
  static Map<String, Object> write(
      IncidentStore store,
      String name,
      Trigger trigger,
      IncidentSources sources,
      RollingRecording recording,
      String novaVersion)
      throws IOException {
    Path dir = store.dir();
    Path tmp = dir.resolve("." + name + ".tmp");
    Path jfr = dir.resolve("." + name + ".jfr");
    List<Map<String, Object>> files = new ArrayList<>();
    Map<String, Object> recorded = new LinkedHashMap<>();
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PrivateDir.OWNER_ONLY_FILE);
      try (OutputStream os = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        Report report = sources.report();
        for (Map.Entry<String, Body> body : BODIES.entrySet()) {
          entry(zip, files, body.getKey(), body.getValue().read(sources, report));
        }
        recorded.put(
            "window", recording.window().isZero() ? "none" : recording.window().toString());
        String leftOut = null;
        if (!recording.window().isZero()) {
          Files.deleteIfExists(jfr);
          Files.createFile(jfr, PrivateDir.OWNER_ONLY_FILE);
          leftOut = recording.dump(jfr);
          if (leftOut == null) {
            zip.putNextEntry(new ZipEntry(RECORDING));
            long size = Files.copy(jfr, zip);
            zip.closeEntry();
            files.add(Map.of("name", RECORDING, "bytes", size));
            Instant from = recording.startedAt();
            Instant since = trigger.at().minus(recording.window());
            recorded.put("from", (from != null && from.isAfter(since) ? from : since).toString());
            recorded.put("to", Instant.now().toString());
          }
        } else {
          leftOut = recording.status();
        }
        if (leftOut != null) {
          recorded.put("status", leftOut);
        }
        Map<String, Object> manifest =
            manifest(name, trigger, sources.serviceVersion(), novaVersion, recorded, files);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(Json.render(manifest));
        zip.closeEntry();
        zip.finish();
        os.flush();
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return manifest;
      }
    } finally {
      Files.deleteIfExists(jfr);
      Files.deleteIfExists(tmp);
    }
  }

  private static Map<String, Object> manifest(
      String name,
      Trigger trigger,
      String serviceVersion,
      String novaVersion,
      Map<String, Object> recording,
      List<Map<String, Object>> files) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("time", trigger.at().toString());
    m.put("cause", trigger.cause());
    Finding first = trigger.findings().isEmpty() ? null : trigger.findings().get(0);
    if (first != null) {
      m.put("code", first.code());
      m.put("severity", first.severity().name());
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    for (Finding f : trigger.findings()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("code", f.code());
      e.put("severity", f.severity().name());
      e.put("title", f.title());
      if (f.where() != null) {
        e.put("where", f.where());
      }
      findings.add(e);
    }
    m.put("findings", findings);
    m.put("nova", novaVersion);
    m.put("service", serviceVersion);
    m.put("java", Runtime.version().toString());
    m.put("pid", ProcessHandle.current().pid());
    m.put("recording", recording);
    List<Map<String, Object>> all = new ArrayList<>(files);
    m.put("files", all);
    m.put("read", "unzip it; jfr summary recording.jfr, or open it in JDK Mission Control");
    return m;
  }

  private static void entry(
      ZipOutputStream zip, List<Map<String, Object>> files, String name, byte[] body)
      throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(body);
    zip.closeEntry();
    files.add(Map.of("name", name, "bytes", (long) body.length));
  }

  private static Map<String, Object> orEmpty(Map<String, Object> m) {
    return m == null ? Map.of() : m;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Every platform thread as {@code jstack} prints it (state, full stack, the locks held and waited
   * on), which the tools that read thread dumps accept; deadlocked threads are named at the end.
   */
  static String threadDump() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder b = new StringBuilder();
    b.append("Full thread dump ")
        .append(System.getProperty("java.vm.name", "JVM"))
        .append(" (")
        .append(Runtime.version())
        .append("), ")
        .append(Instant.now())
        .append(":\n\n");
    ThreadInfo[] all =
        mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
    for (ThreadInfo t : all) {
      if (t == null) {
        continue;
      }
      b.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId());
      if (t.isDaemon()) {
        b.append(" daemon");
      }
      b.append(" prio=").append(t.getPriority()).append('\n');
      b.append("   java.lang.Thread.State: ").append(t.getThreadState()).append('\n');
      StackTraceElement[] stack = t.getStackTrace();
      MonitorInfo[] monitors = t.getLockedMonitors();
      for (int i = 0; i < stack.length; i++) {
        b.append("\tat ").append(stack[i]).append('\n');
        if (i == 0 && t.getLockInfo() != null) {
          String verb =
              switch (t.getThreadState()) {
                case BLOCKED -> "waiting to lock";
                case WAITING, TIMED_WAITING -> "parking to wait for";
                default -> "waiting on";
              };
          b.append("\t- ").append(verb).append(' ').append(lock(t.getLockInfo()));
          if (t.getLockOwnerName() != null) {
            b.append(" owned by \"").append(t.getLockOwnerName()).append("\" #");
            b.append(t.getLockOwnerId());
          }
          b.append('\n');
        }
        for (MonitorInfo m : monitors) {
          if (m.getLockedStackDepth() == i) {
            b.append("\t- locked ").append(lock(m)).append('\n');
          }
        }
      }
      LockInfo[] synchronizers = t.getLockedSynchronizers();
      if (synchronizers.length > 0) {
        b.append("\n   Locked ownable synchronizers:\n");
        for (LockInfo l : synchronizers) {
          b.append("\t- ").append(lock(l)).append('\n');
        }
      }
      b.append('\n');
    }
    long[] deadlocked = mx.findDeadlockedThreads();
    if (deadlocked != null && deadlocked.length > 0) {
      b.append("Found ").append(deadlocked.length).append(" deadlocked threads:");
      for (long id : deadlocked) {
        b.append(" #").append(id);
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String lock(LockInfo l) {
    return "<0x" + Integer.toHexString(l.getIdentityHashCode()) + "> (a " + l.getClassName() + ")";
  }
}
