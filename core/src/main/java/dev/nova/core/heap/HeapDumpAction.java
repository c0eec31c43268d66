package dev.nova.core.heap;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import dev.nova.core.util.PrivateDir;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code heap-dump}: a heap dump through {@code HotSpotDiagnosticMXBean}, only when {@code
 * heapDump=true}, only into {@code heap.dumpDir} (created owner-only, refused when another user
 * owns it or it is a link), under a name Nova chooses, owner-only, at most one a minute, and not
 * when the disk lacks room for it. The dispatcher already runs at most one at a time.
 */
public final class HeapDumpAction implements Action {
  static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  static final Param<Boolean> LIVE =
      Param.bool("live", true, "dump only reachable objects (a full GC first)");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final boolean enabled;
  private final Path dir;
  private final NovaClock clock;
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile long lastAt = Long.MIN_VALUE;

  public HeapDumpAction(boolean enabled, Path dir, NovaClock clock) {
    this.enabled = enabled;
    this.dir = dir.toAbsolutePath().normalize();
    this.clock = clock;
  }

  @Override
  public String name() {
    return ActionNames.HEAP_DUMP;
  }

  @Override
  public String description() {
    return "writes a heap dump into heap.dumpDir, owner-only (needs heapDump=true)";
  }

  @Override
  public List<Param<?>> params() {
    return List.of(LIVE);
  }

  @Override
  public Map<String, Object> run(ActionRequest r) throws ActionException {
    if (!enabled) {
      throw new ActionException(403, "heap dumps are off; start Nova with heapDump=true");
    }
    long now = clock.nanoTime();
    if (lastAt != Long.MIN_VALUE && now - lastAt < MIN_INTERVAL.toNanos()) {
      throw new ActionException(
          429,
          "a heap dump was written "
              + (now - lastAt) / 1_000_000_000
              + " s ago; at most one a minute");
    }
    prepareDirectory();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long free;
    try {
      free = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new ActionException(503, "cannot read free space in " + dir + ": " + e.getMessage());
    }
    // A dump is about the size of the used heap; keep the same again free for the host.
    long needed = used * 2;
    String pid = String.valueOf(ProcessHandle.current().pid());
    Path file =
        dir.resolve(
            "nova-heap-"
                + pid
                + "-"
                + STAMP.format(clock.now())
                + "-"
                + (r.dryRun() ? sequence.get() + 1 : sequence.incrementAndGet())
                + ".hprof");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", file.toString());
    m.put("live", r.get(LIVE));
    m.put("heapUsedBytes", used);
    m.put("freeDiskBytes", free);
    if (free < needed) {
      throw new ActionException(
          507,
          "not enough free disk in " + dir + ": " + free + " bytes, a dump needs about " + needed);
    }
    if (r.dryRun()) {
      return m;
    }
    long started = System.nanoTime();
    try {
      Class<?> type = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
      @SuppressWarnings("unchecked")
      Object bean =
          ManagementFactory.getPlatformMXBean(
              (Class<? extends java.lang.management.PlatformManagedObject>) type);
      Method dump = type.getMethod("dumpHeap", String.class, boolean.class);
      dump.invoke(bean, file.toString(), r.get(LIVE));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      lastAt = clock.nanoTime();
      m.put("sizeBytes", Files.size(file));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new ActionException(503, "the JVM could not dump its heap: " + e.getCause());
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      throw new ActionException(503, "heap dumps are not available in this JVM: " + e);
    }
    m.put("durationMs", (System.nanoTime() - started) / 1_000_000);
    return m;
  }

  /** Creates the directory owner-only, or checks that an existing one is ours and private. */
  private void prepareDirectory() throws ActionException {
    try {
      PrivateDir.prepare(dir, "heap.dumpDir");
    } catch (PrivateDir.Refused e) {
      throw new ActionException(e.status(), e.getMessage());
    }
  }
}
