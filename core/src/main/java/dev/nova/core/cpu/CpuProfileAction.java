package dev.nova.core.cpu;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code cpu-profile}: samples every thread's stack for {@code seconds} (JFR's {@code
 * jdk.ExecutionSample} every 10 ms, in a recording of its own) and answers the hottest methods by
 * self and by total share and the collapsed stacks ({@code frame;frame;frame count}, root first),
 * the format flame-graph tools read. The recording goes to an owner-only temporary file, is read
 * and deleted. One at a time (409 for a second); the dispatcher rate-limits it like every action.
 */
public final class CpuProfileAction implements Action {
  static final Param<Integer> SECONDS =
      Param.integer("seconds", 10, 1, 60, "how long to sample, in seconds");
  static final Param<Integer> TOP = Param.integer("top", 20, 1, 200, "methods listed");
  static final Param<Integer> STACKS =
      Param.integer("stacks", 500, 1, 5000, "collapsed stacks answered, most sampled first");

  private final AtomicBoolean running = new AtomicBoolean();
  private final boolean jfr;

  public CpuProfileAction(boolean jfr) {
    this.jfr = jfr;
  }

  @Override
  public String name() {
    return ActionNames.CPU_PROFILE;
  }

  @Override
  public String description() {
    return "samples every thread for seconds and answers the hottest methods and collapsed stacks";
  }

  @Override
  public List<Param<?>> params() {
    return List.of(SECONDS, TOP, STACKS);
  }

  @Override
  public Map<String, Object> run(ActionRequest request) throws ActionException {
    int seconds = request.get(SECONDS);
    if (request.dryRun()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("wouldSample", "every thread's stack every 10 ms for " + seconds + " s (JFR)");
      m.put("available", jfr);
      return m;
    }
    if (!jfr) {
      throw new ActionException(409, "cpu-profile needs JDK Flight Recorder, and jfr=false");
    }
    if (!running.compareAndSet(false, true)) {
      throw new ActionException(409, "a cpu-profile is already running; one at a time");
    }
    Path dir = null;
    Path file = null;
    try {
      dir =
          Files.createTempDirectory(
              "nova-cpu-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      file = dir.resolve("profile.jfr");
      HotMethods hot = new HotMethods();
      long started = System.nanoTime();
      try (Recording r = new Recording()) {
        r.setName("nova-cpu-profile");
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
        r.setToDisk(true);
        r.start();
        Thread.sleep(seconds * 1000L); // the sampling period asked for
        r.stop();
        r.dump(file);
      }
      try (RecordingFile in = new RecordingFile(file)) {
        while (in.hasMoreEvents()) {
          RecordedEvent e = in.readEvent();
          if (e.getEventType().getName().equals("jdk.ExecutionSample")) {
            hot.add(e);
          }
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seconds", seconds);
      m.put("tookMs", (System.nanoTime() - started) / 1_000_000);
      m.put("samples", hot.samples());
      m.put("intervalMs", 10);
      m.put("hottestApplicationMethods", hot.hottestApplication(request.get(TOP)));
      m.put("topSelf", hot.top(true, request.get(TOP)));
      m.put("topTotal", hot.top(false, request.get(TOP)));
      m.put("threads", hot.threads(10));
      m.put("collapsed", hot.collapsed(request.get(STACKS)));
      m.put("collapsedFormat", "root;...;leaf count, one stack a line (flamegraph.pl, speedscope)");
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActionException(503, "interrupted while sampling");
    } catch (IOException | RuntimeException e) {
      throw new ActionException(
          503, "JFR could not record: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      running.set(false);
      try {
        if (file != null) {
          Files.deleteIfExists(file);
        }
        if (dir != null) {
          Files.deleteIfExists(dir);
        }
      } catch (IOException ignored) {
        // a temporary directory of Nova's own; the OS cleans it
      }
    }
  }
}
