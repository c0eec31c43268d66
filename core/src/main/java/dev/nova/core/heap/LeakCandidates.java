package dev.nova.core.heap;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jdbc.AppFrames;
import dev.nova.core.jvm.JfrStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;

/**
 * Leak candidates from JFR's old-object sampler: a recording with only {@code jdk.OldObjectSample}
 * enabled and no paths to GC roots (cutoff 0, the cheap kind). The sampler keeps a small, bounded
 * set of sampled objects that are still alive, with the stack that allocated each; JFR writes them
 * out only when a recording is dumped, so {@link #candidates} dumps it to an owner-only temporary
 * file, reads it and deletes it, at most once per {@link #MIN_INTERVAL}. Samples allocated within
 * the heap window and still alive are what a growing live set is made of; they are grouped by type
 * and allocating application frame.
 *
 * <p>The sampler walks the allocating stack on every allocation slow path, which an allocation-
 * heavy host pays for; so it runs only while heap growth is suspected: {@link #start} arms it,
 * {@link #suspect} (the heap detector, on a rising live set well before it is a finding) starts it,
 * and {@link #relax} stops it again once nothing has been suspected for {@link #IDLE}. A growing
 * live set keeps growing, so what it allocates after sampling starts is what it retains.
 */
public final class LeakCandidates implements AutoCloseable {
  static final String EVENT = "jdk.OldObjectSample";
  static final Duration MIN_INTERVAL = Duration.ofSeconds(20);
  static final Duration IDLE = Duration.ofMinutes(2);
  static final Duration WARM = Duration.ofSeconds(3);
  static final int TOP = 5;
  static final int DEPTH = 8;

  /** One group of live samples: a type and where the application allocated it. */
  public record Candidate(
      String type, String allocatedAt, int samples, long oldestAgeSeconds, List<String> stack) {}

  private final NovaClock clock;
  private final NovaHealth health;
  private Recording recording;
  private boolean armed;
  private long lastSuspected;
  private long startedAt;
  private volatile String status = "not started"; // read by the report while a dump runs
  private List<Candidate> last = List.of();
  private long lastAt = Long.MIN_VALUE;
  private volatile boolean shed;

  public LeakCandidates(NovaClock clock, NovaHealth health) {
    this.clock = clock;
    this.health = health;
  }

  /**
   * Arms old-object sampling, to start at the first {@link #suspect}; {@code false}, no JFR or any
   * failure leaves it off, said so.
   */
  public synchronized void start(boolean useJfr) {
    if (!useJfr) {
      status = "off (jfr=false or jfr.oldObjects=false)";
      return;
    }
    try {
      if (!FlightRecorder.isAvailable()) {
        status = "unavailable: JFR is not available in this JVM";
        return;
      }
      armed = true;
      status = ARMED;
    } catch (Throwable t) {
      status = "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    }
  }

  static final String ARMED = "armed: " + EVENT + " starts when heap growth is suspected";

  /** Heap growth is suspected: sampling starts if it is armed and not running. */
  public synchronized void suspect() {
    lastSuspected = clock.nanoTime();
    if (!armed || recording != null || shed) {
      return;
    }
    try {
      Recording r = new Recording();
      r.setName("nova-old-objects");
      r.enable(EVENT).with("cutoff", "0 ns").withStackTrace();
      r.setToDisk(true);
      r.setMaxAge(Duration.ofSeconds(30));
      r.start();
      recording = r;
      startedAt = clock.nanoTime();
      lastAt = Long.MIN_VALUE;
      status = "on: " + EVENT + " without GC-root paths, since heap growth was suspected";
    } catch (Throwable t) {
      armed = false;
      status = "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    }
  }

  /** Nothing suspected this round: sampling stops once nothing has been for {@link #IDLE}. */
  public synchronized void relax() {
    if (recording != null && clock.nanoTime() - lastSuspected >= IDLE.toNanos()) {
      stop();
      status = ARMED;
    }
  }

  /** Whether the sampler is running now. */
  public synchronized boolean sampling() {
    return recording != null && !shed;
  }

  public String status() {
    return shed ? "shed (self-protection)" : status;
  }

  /**
   * The candidates allocated within the window that are still alive, biggest group first; a new
   * snapshot when the last is older than {@link #MIN_INTERVAL}. Empty when sampling is off.
   */
  public synchronized List<Candidate> candidates(long windowNanos) {
    if (recording == null || shed) {
      return List.of();
    }
    long now = clock.nanoTime();
    if (now - startedAt < WARM.toNanos()) {
      return List.of(); // sampling has only just started: next round, there will be samples
    }
    if (lastAt != Long.MIN_VALUE && now - lastAt < MIN_INTERVAL.toNanos()) {
      return last;
    }
    lastAt = now;
    Path dir = null;
    Path file = null;
    try {
      dir =
          Files.createTempDirectory(
              "nova-jfr",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      file = dir.resolve("old-objects.jfr");
      recording.dump(file);
      last = group(RecordingFile.readAllEvents(file), Instant.now().minusNanos(windowNanos));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the dump still goes to a directory only this user created
      last = List.of();
      status = "unavailable: " + e.getMessage();
    } catch (Throwable t) {
      health.recordSuppressed("old-object snapshot", t);
      last = List.of();
    } finally {
      delete(file);
      delete(dir);
    }
    return last;
  }

  static List<Candidate> group(List<RecordedEvent> events, Instant windowStart) {
    Map<String, List<Object[]>> groups = new HashMap<>();
    Instant now = Instant.now();
    for (RecordedEvent e : events) {
      if (!e.getEventType().getName().equals(EVENT)) {
        continue;
      }
      Instant allocated = e.getInstant("allocationTime");
      if (allocated.isBefore(windowStart)) {
        continue; // alive since before the window: part of the steady live set
      }
      RecordedObject object = e.getValue("object");
      RecordedClass type = object == null ? null : object.getValue("type");
      String typeName = type == null ? "?" : readable(type.getName());
      List<String> app = AppFrames.of(JfrStream.trace(e.getStackTrace()), DEPTH);
      String site = app.isEmpty() ? "(unknown)" : app.get(0);
      groups
          .computeIfAbsent(typeName + "|" + site, k -> new ArrayList<>())
          .add(new Object[] {typeName, site, allocated, app});
    }
    List<Candidate> out = new ArrayList<>();
    for (List<Object[]> g : groups.values()) {
      Instant oldest = now;
      for (Object[] s : g) {
        if (((Instant) s[2]).isBefore(oldest)) {
          oldest = (Instant) s[2];
        }
      }
      @SuppressWarnings("unchecked")
      List<String> stack = (List<String>) g.get(0)[3];
      out.add(
          new Candidate(
              (String) g.get(0)[0],
              (String) g.get(0)[1],
              g.size(),
              Duration.between(oldest, now).toSeconds(),
              stack));
    }
    out.sort(Comparator.comparingInt(Candidate::samples).reversed());
    return out.size() > TOP ? List.copyOf(out.subList(0, TOP)) : out;
  }

  /** JVM descriptors as a person writes them: {@code [B} is {@code byte[]}. */
  static String readable(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return name;
    }
    String base =
        switch (name.charAt(dims)) {
          case 'B' -> "byte";
          case 'C' -> "char";
          case 'I' -> "int";
          case 'J' -> "long";
          case 'S' -> "short";
          case 'Z' -> "boolean";
          case 'F' -> "float";
          case 'D' -> "double";
          case 'L' -> name.substring(dims + 1, name.length() - 1);
          default -> name.substring(dims);
        };
    return base + "[]".repeat(dims);
  }

  /** Candidates as finding evidence. */
  public static List<Evidence> evidence(List<Candidate> candidates) {
    List<Evidence> out = new ArrayList<>();
    for (Candidate c : candidates) {
      out.add(
          Evidence.builder()
              .put("type", c.type())
              .put("allocatedAt", c.allocatedAt())
              .put("liveSamples", c.samples())
              .put("oldestAgeSeconds", c.oldestAgeSeconds())
              .list("stack", c.stack())
              .build());
    }
    return out;
  }

  /** Self-protection: no snapshots and no sampling until {@link #resume}. */
  public synchronized void shed() {
    shed = true;
    if (recording != null) {
      stop();
      status = ARMED;
    }
  }

  /** Sampling may start again at the next {@link #suspect}. */
  public synchronized void resume() {
    shed = false;
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file left behind is removed with the temp dir
      }
    }
  }

  private void stop() {
    try {
      recording.close();
    } catch (Throwable ignored) {
      // already closed
    }
    recording = null;
    last = List.of();
  }

  @Override
  public synchronized void close() {
    armed = false;
    if (recording != null) {
      stop();
    }
  }
}
